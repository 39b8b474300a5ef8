-- why: the inbox filters on the customer's account (tier, key account) as index terms, so each ticket carries its customer's account, kept exact by triggers.
-- The one rule of a customer's account: its own tier, else its organization's; a key account
-- when the customer is one or its organization is. customers/model.py writes its SQL fragments
-- as calls of these two functions (the planner inlines them), so the rule is written here only.
CREATE FUNCTION cc_account_tier(customer_tier text, organization_tier text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(customer_tier, organization_tier);
CREATE FUNCTION cc_account_key(customer_key boolean, organization_key boolean) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN customer_key OR coalesce(organization_key, false);

-- A customer's account now (NULLs for an unknown customer): what every trigger below stores.
CREATE FUNCTION cc_customer_account(customer uuid, OUT tier text, OUT is_key boolean)
    LANGUAGE sql STABLE AS $$
SELECT cc_account_tier(c.tier, o.tier), cc_account_key(c.is_key_account, o.is_key_account)
FROM customers c LEFT JOIN organizations o ON o.id = c.organization_id
WHERE c.id = customer
$$;

-- Written only by the triggers below: the ticket's customer's account.
ALTER TABLE tickets ADD COLUMN account_tier text;
ALTER TABLE tickets ADD COLUMN account_key boolean NOT NULL DEFAULT false;

UPDATE tickets t SET account_tier = a.tier, account_key = a.is_key
FROM customers c LEFT JOIN organizations o ON o.id = c.organization_id,
     LATERAL (SELECT cc_account_tier(c.tier, o.tier) AS tier,
                     cc_account_key(c.is_key_account, o.is_key_account) AS is_key) a
WHERE c.id = t.customer_id AND (a.tier IS NOT NULL OR a.is_key);

-- Exact under concurrency: a ticket reads its account under share locks of its customer and
-- organization, and a customer's change takes a share lock of its (new) organization, while
-- changing a customer or organization takes its row lock. So either the change waits for the
-- ticket (or moved customer) to commit, and its own UPDATE of tickets, which starts after the
-- wait, sees it; or the ticket waits for the change and then reads the committed account
-- (each statement of these functions reads the latest commits, in READ COMMITTED).

-- A ticket opened, or moved to another customer (a merge or an unmerge).
CREATE FUNCTION cc_ticket_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    org uuid;
BEGIN
    SELECT organization_id INTO org FROM customers WHERE id = NEW.customer_id FOR SHARE;
    PERFORM FROM organizations WHERE id = org FOR SHARE;
    SELECT a.tier, coalesce(a.is_key, false) INTO NEW.account_tier, NEW.account_key
    FROM cc_customer_account(NEW.customer_id) a;
    RETURN NEW;
END
$$;
CREATE TRIGGER tickets_account BEFORE INSERT OR UPDATE OF customer_id ON tickets
    FOR EACH ROW EXECUTE FUNCTION cc_ticket_account();

-- A customer's tier or key flag changed, or it moved to another organization (or none).
CREATE FUNCTION cc_customer_tickets_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM FROM organizations WHERE id = NEW.organization_id FOR SHARE;
    UPDATE tickets t SET account_tier = a.tier, account_key = a.is_key
    FROM cc_customer_account(NEW.id) a
    WHERE t.customer_id = NEW.id
      AND (t.account_tier, t.account_key) IS DISTINCT FROM (a.tier, a.is_key);
    RETURN NULL;
END
$$;
CREATE TRIGGER customers_tickets_account
    AFTER UPDATE OF tier, is_key_account, organization_id ON customers
    FOR EACH ROW
    WHEN ((OLD.tier, OLD.is_key_account, OLD.organization_id)
          IS DISTINCT FROM (NEW.tier, NEW.is_key_account, NEW.organization_id))
    EXECUTE FUNCTION cc_customer_tickets_account();

-- An organization's tier or key flag changed: the tickets of each of its customers.
CREATE FUNCTION cc_organization_tickets_account() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tickets t SET account_tier = a.tier, account_key = a.is_key
    FROM customers c, cc_customer_account(c.id) a
    WHERE c.organization_id = NEW.id AND t.customer_id = c.id
      AND (t.account_tier, t.account_key) IS DISTINCT FROM (a.tier, a.is_key);
    RETURN NULL;
END
$$;
CREATE TRIGGER organizations_tickets_account
    AFTER UPDATE OF tier, is_key_account ON organizations
    FOR EACH ROW
    WHEN ((OLD.tier, OLD.is_key_account) IS DISTINCT FROM (NEW.tier, NEW.is_key_account))
    EXECUTE FUNCTION cc_organization_tickets_account();

-- The tier and key-account filters, their counts (index-only: the assignee and queue are
-- included) and their pages in latest-activity order; other sorts walk their own index of
-- 0020 and check the account on the row.
CREATE INDEX tickets_inbox_tier_idx ON tickets (account_tier, last_message_at DESC, id DESC)
    INCLUDE (assignee_id, queue) WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_inbox_key_idx ON tickets (account_key, last_message_at DESC, id DESC)
    INCLUDE (assignee_id, queue) WHERE status IN ('new', 'open', 'pending');

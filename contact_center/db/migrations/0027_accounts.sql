-- why: one owner for a customer's account (tier, key account, manager, route, coordinates, lifecycle): the organization; a customer of no organization gets a personal account, and the account columns leave customers.

-- A personal account belongs to one individual customer and is named after it; it is never
-- listed or searched as an organization.
ALTER TABLE organizations ADD COLUMN personal boolean NOT NULL DEFAULT false;

-- 1. A real organization keeps every account value it has. Where it has none, its members'
--    own values fill it in: the first member (not merged before merged, then oldest first)
--    that has the value gives it. The route (territory and weekday) and the coordinates
--    (latitude and longitude) move as pairs, from one member. The organization is a key account
--    when it or any member was one (the old rule made such a member a key account either way).
--    lifecycle_stage always had a value on the organization, which also decided it before; it
--    stays. A member whose own value differs from its organization's now has the organization's:
--    that is the point of one owner (the old rule preferred the member's tier and manager).
UPDATE organizations o SET
    tier = coalesce(o.tier, (
        SELECT c.tier FROM customers c
        WHERE c.organization_id = o.id AND c.tier IS NOT NULL
        ORDER BY c.merged_into_id IS NOT NULL, c.created_at, c.id LIMIT 1)),
    is_key_account = o.is_key_account OR EXISTS (
        SELECT FROM customers c WHERE c.organization_id = o.id AND c.is_key_account),
    account_manager_id = coalesce(o.account_manager_id, (
        SELECT c.account_manager_id FROM customers c
        WHERE c.organization_id = o.id AND c.account_manager_id IS NOT NULL
        ORDER BY c.merged_into_id IS NOT NULL, c.created_at, c.id LIMIT 1))
WHERE EXISTS (SELECT FROM customers c WHERE c.organization_id = o.id);

UPDATE organizations o SET (route_territory, route_weekday) = (
    SELECT c.route_territory, c.route_weekday FROM customers c
    WHERE c.organization_id = o.id AND (c.route_territory <> '' OR c.route_weekday IS NOT NULL)
    ORDER BY c.merged_into_id IS NOT NULL, c.created_at, c.id LIMIT 1)
WHERE o.route_territory = '' AND o.route_weekday IS NULL AND EXISTS (
    SELECT FROM customers c
    WHERE c.organization_id = o.id AND (c.route_territory <> '' OR c.route_weekday IS NOT NULL));

UPDATE organizations o SET (latitude, longitude) = (
    SELECT c.latitude, c.longitude FROM customers c
    WHERE c.organization_id = o.id AND (c.latitude IS NOT NULL OR c.longitude IS NOT NULL)
    ORDER BY c.merged_into_id IS NOT NULL, c.created_at, c.id LIMIT 1)
WHERE o.latitude IS NULL AND o.longitude IS NULL AND EXISTS (
    SELECT FROM customers c
    WHERE c.organization_id = o.id AND (c.latitude IS NOT NULL OR c.longitude IS NOT NULL));

-- 2. Every customer of no organization, merged ones included, gets a personal account holding
--    the account values its card had.
WITH lone AS MATERIALIZED (
    SELECT gen_random_uuid() AS account_id, c.* FROM customers c WHERE c.organization_id IS NULL
), accounts AS (
    INSERT INTO organizations (id, name, personal, tier, is_key_account, account_manager_id,
                               route_territory, route_weekday, latitude, longitude,
                               lifecycle_stage, created_at, updated_at)
    SELECT account_id, name, true, tier, is_key_account, account_manager_id, route_territory,
           route_weekday, latitude, longitude, lifecycle_stage, created_at, updated_at
    FROM lone
)
UPDATE customers c SET organization_id = lone.account_id FROM lone WHERE c.id = lone.id;

ALTER TABLE customers ALTER COLUMN organization_id SET NOT NULL;

-- 3. Tickets follow the account: a customer's account is its organization's, nothing else.
--    The trigger functions of 0025 (cc_ticket_account, cc_organization_tickets_account) and
--    their locking stay; the customer's trigger now fires only when it changes account.
DROP TRIGGER customers_tickets_account ON customers;

CREATE OR REPLACE FUNCTION cc_customer_account(customer uuid, OUT tier text, OUT is_key boolean)
    LANGUAGE sql STABLE AS $$
SELECT o.tier, o.is_key_account
FROM customers c JOIN organizations o ON o.id = c.organization_id
WHERE c.id = customer
$$;

ALTER TABLE customers
    DROP COLUMN tier,
    DROP COLUMN is_key_account,
    DROP COLUMN account_manager_id,
    DROP COLUMN route_territory,
    DROP COLUMN route_weekday,
    DROP COLUMN latitude,
    DROP COLUMN longitude,
    DROP COLUMN lifecycle_stage;

DROP FUNCTION cc_account_tier(text, text);
DROP FUNCTION cc_account_key(boolean, boolean);

CREATE TRIGGER customers_tickets_account
    AFTER UPDATE OF organization_id ON customers
    FOR EACH ROW
    WHEN (OLD.organization_id IS DISTINCT FROM NEW.organization_id)
    EXECUTE FUNCTION cc_customer_tickets_account();

-- Step 1 changed some accounts: every ticket takes its account as it is now.
UPDATE tickets t SET account_tier = o.tier, account_key = o.is_key_account
FROM customers c JOIN organizations o ON o.id = c.organization_id
WHERE c.id = t.customer_id
  AND (t.account_tier, t.account_key) IS DISTINCT FROM (o.tier, o.is_key_account);

-- Organization lists and searches read real organizations only.
CREATE INDEX organizations_listed_name_idx ON organizations (name, (id::text)) WHERE NOT personal;

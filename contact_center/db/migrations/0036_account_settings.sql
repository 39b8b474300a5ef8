-- why: the account settings (tiering, lifecycle, visit rules, care messages) join the site's settings, and account work (a manager to assign, a dormant account to win back) becomes tasks.
ALTER TABLE site_settings DROP CONSTRAINT site_settings_key_check;
ALTER TABLE site_settings ADD CONSTRAINT site_settings_key_check
    CHECK (key IN ('timezone', 'business_hours', 'holidays', 'closures', 'working_days',
                   'clock_targets', 'classifier', 'at_risk', 'tiering', 'lifecycle',
                   'visit_rules', 'care'));

-- A piece of account work for a person: assigning an account manager to a new key account
-- (for supervisors: assignee empty) or winning back a dormant key account (for its manager).
-- At most one open task of a kind per account, so a scheduled job may ask again and again.
CREATE TABLE account_tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('assign_manager', 'reactivate')),
    assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'cancelled')),
    note text NOT NULL DEFAULT '',
    due_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL,
    closed_at timestamptz,
    closed_by uuid REFERENCES users (id) ON DELETE SET NULL,
    CHECK ((state = 'open') = (closed_at IS NULL))
);
CREATE UNIQUE INDEX account_tasks_one_open ON account_tasks (organization_id, kind)
    WHERE state = 'open';
CREATE INDEX account_tasks_assignee ON account_tasks (assignee_id, due_at) WHERE state = 'open';

-- Outbound messages that belong to no ticket: visit reminders, greetings and broadcasts. They
-- name their customer instead (for erasure and the customer's card) and say what they are.
ALTER TABLE outbound_messages
    ALTER COLUMN ticket_id DROP NOT NULL,
    ALTER COLUMN message_id DROP NOT NULL,
    -- No ON DELETE action: customers are never deleted (erasure blanks them and their
    -- messages), and a message of no ticket must keep naming its customer (CHECK below).
    ADD COLUMN customer_id uuid REFERENCES customers (id),
    ADD COLUMN purpose text NOT NULL DEFAULT 'ticket'
        CHECK (purpose IN ('ticket', 'visit_reminder', 'greeting', 'broadcast')),
    ADD CONSTRAINT outbound_messages_ticket_purpose
        CHECK ((purpose = 'ticket') = (ticket_id IS NOT NULL AND message_id IS NOT NULL)),
    ADD CONSTRAINT outbound_messages_named_customer
        CHECK (purpose = 'ticket' OR customer_id IS NOT NULL);
CREATE INDEX outbound_messages_customer ON outbound_messages (customer_id)
    WHERE customer_id IS NOT NULL;

-- Value data per account, as imported (CSV or API): one order or invoice, or a month's revenue.
-- `source_id` is the sender's own id: importing it again changes nothing new. `account_total`
-- is the account's whole spend in that period where the sender knows it (our share of it is
-- the account's dependency on us).
CREATE TABLE account_values (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL CONSTRAINT account_values_source_key UNIQUE,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('transaction', 'monthly_revenue')),
    amount numeric(16, 2) NOT NULL,
    account_total numeric(16, 2) CHECK (account_total >= 0),
    occurred_on date NOT NULL,
    imported_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX account_values_account_day ON account_values (organization_id, occurred_on);
CREATE INDEX account_values_day ON account_values (occurred_on);

-- Visits are also asked for by agents and managers, and a missed visit asks to be made up.
ALTER TABLE visit_requests DROP CONSTRAINT visit_requests_reason_check;
ALTER TABLE visit_requests ADD CONSTRAINT visit_requests_reason_check
    CHECK (reason IN ('complaint_followup', 'agent', 'missed'));

-- why: tickets, the messages on them, and the raw inbound contacts that intake deduplicates.
CREATE SEQUENCE ticket_number_seq START 1000;

CREATE TABLE tickets (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    number bigint NOT NULL DEFAULT nextval('ticket_number_seq')
        CONSTRAINT tickets_number_key UNIQUE,
    subject text NOT NULL DEFAULT '',
    kind text NOT NULL DEFAULT 'inquiry' CONSTRAINT tickets_kind_check
        CHECK (kind IN ('inquiry', 'complaint', 'order', 'other')),
    status text NOT NULL DEFAULT 'new' CONSTRAINT tickets_status_check
        CHECK (status IN ('new', 'open', 'pending', 'resolved', 'closed')),
    priority text NOT NULL DEFAULT 'normal' CONSTRAINT tickets_priority_check
        CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    queue text NOT NULL DEFAULT 'general',
    assignee_id uuid REFERENCES users (id),
    customer_id uuid NOT NULL REFERENCES customers (id),
    organization_id uuid REFERENCES organizations (id),
    channel text NOT NULL CONSTRAINT tickets_channel_check
        CHECK (channel IN ('voice', 'sms', 'email', 'web', 'note')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_message_at timestamptz NOT NULL DEFAULT now(),
    first_response_at timestamptz,
    resolved_at timestamptz,
    closed_at timestamptz
);
CREATE INDEX tickets_customer_id_idx ON tickets (customer_id, last_message_at DESC);
CREATE INDEX tickets_list_idx ON tickets (created_at DESC, id DESC);
CREATE INDEX tickets_status_idx ON tickets (status, created_at DESC);
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id, created_at DESC);
CREATE INDEX tickets_subject_trgm_idx ON tickets USING gin (subject gin_trgm_ops);

CREATE TABLE messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    ticket_id uuid NOT NULL REFERENCES tickets (id),
    direction text NOT NULL CONSTRAINT messages_direction_check
        CHECK (direction IN ('inbound', 'outbound', 'internal')),
    channel text NOT NULL CONSTRAINT messages_channel_check
        CHECK (channel IN ('voice', 'sms', 'email', 'web', 'note')),
    provider_id text,
    from_address text NOT NULL DEFAULT '',
    to_address text NOT NULL DEFAULT '',
    subject text NOT NULL DEFAULT '',
    body_text text NOT NULL DEFAULT '',
    body_html text NOT NULL DEFAULT '',
    attachments jsonb NOT NULL DEFAULT '[]',
    delivery_status text,
    author_id uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messages_channel_provider_id_key UNIQUE (channel, provider_id)
);
CREATE INDEX messages_ticket_id_idx ON messages (ticket_id, created_at);
CREATE INDEX messages_body_trgm_idx ON messages USING gin (body_text gin_trgm_ops);

-- Every inbound contact is stored raw first; the unique provider id makes a retry a no-op.
-- One that could not be parsed stays here with its error and no message, for an agent to see.
CREATE TABLE inbound_contacts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    channel text NOT NULL,
    provider_id text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    payload jsonb NOT NULL DEFAULT '{}',
    raw bytea,
    parse_error text,
    message_id uuid REFERENCES messages (id),
    CONSTRAINT inbound_contacts_channel_provider_id_key UNIQUE (channel, provider_id)
);
CREATE INDEX inbound_contacts_unplaced_idx ON inbound_contacts (received_at)
    WHERE message_id IS NULL;

-- why: every outbound SMS and email is a row first, delivered by a job after commit (the outbox).
CREATE TABLE outbound_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    ticket_id uuid NOT NULL REFERENCES tickets (id),
    message_id uuid NOT NULL REFERENCES messages (id) CONSTRAINT outbound_messages_message_id_key UNIQUE,
    channel text NOT NULL CONSTRAINT outbound_messages_channel_check CHECK (channel IN ('sms', 'email')),
    to_address text NOT NULL,
    from_address text NOT NULL DEFAULT '',
    subject text NOT NULL DEFAULT '',
    body_text text NOT NULL,
    -- Email threading headers, Auto-Submitted and Reply-To, chosen before the first attempt.
    headers jsonb NOT NULL DEFAULT '{}',
    automatic boolean NOT NULL DEFAULT false,
    status text NOT NULL DEFAULT 'pending' CONSTRAINT outbound_messages_status_check
        CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed',
                          'needs_review', 'dead')),
    provider_id text,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    locked_until timestamptz,
    last_error text,
    error_code text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz
);
CREATE INDEX outbound_messages_due_idx ON outbound_messages (next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbound_messages_sending_idx ON outbound_messages (locked_until) WHERE status = 'sending';
CREATE INDEX outbound_messages_provider_id_idx ON outbound_messages (provider_id);
CREATE INDEX outbound_messages_sms_rate_idx ON outbound_messages (from_address, sent_at)
    WHERE channel = 'sms';

-- Provider status callbacks, once each: (message, reported status) is the retry key.
CREATE TABLE delivery_events (
    id bigserial PRIMARY KEY,
    outbound_id uuid NOT NULL REFERENCES outbound_messages (id),
    reported_status text NOT NULL,
    error_code text,
    payload jsonb NOT NULL DEFAULT '{}',
    received_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT delivery_events_outbound_status_key UNIQUE (outbound_id, reported_status)
);

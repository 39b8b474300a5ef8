-- why: in demo mode, outbound SMS and mail with no real provider go to a development sink that keeps what was "sent" for people to look at.
CREATE TABLE dev_sink_messages (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    outbound_id uuid NOT NULL REFERENCES outbound_messages (id)
        CONSTRAINT dev_sink_messages_outbound_id_key UNIQUE,
    ticket_id uuid NOT NULL REFERENCES tickets (id),
    channel text NOT NULL CONSTRAINT dev_sink_messages_channel_check CHECK (channel IN ('sms', 'email')),
    from_address text NOT NULL,
    to_address text NOT NULL,
    subject text NOT NULL DEFAULT '',
    body_text text NOT NULL,
    headers jsonb NOT NULL DEFAULT '{}',
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dev_sink_messages_received_at_idx ON dev_sink_messages (received_at DESC);

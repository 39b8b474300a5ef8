-- why: thread email replies by Message-ID and by a per-ticket reply address, and link a new
-- ticket to the closed one a late reply referred to.
ALTER TABLE messages ADD COLUMN rfc_message_id text;
CREATE INDEX messages_rfc_message_id_idx ON messages (rfc_message_id) WHERE rfc_message_id IS NOT NULL;
ALTER TABLE tickets ADD COLUMN reply_token text NOT NULL
    DEFAULT replace(gen_random_uuid()::text, '-', '') CONSTRAINT tickets_reply_token_key UNIQUE;
ALTER TABLE tickets ADD COLUMN linked_ticket_id uuid REFERENCES tickets (id);
ALTER TABLE customer_identities ADD COLUMN bouncing_since timestamptz;

-- why: a reply submitted twice is sent once (one key per draft), and a reply still held for its undo window can be cancelled.
ALTER TABLE messages ADD COLUMN draft_key text;
ALTER TABLE messages ADD CONSTRAINT messages_ticket_draft_key_key UNIQUE (ticket_id, draft_key);
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_messages_status_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'delivered', 'undelivered', 'failed',
                      'needs_review', 'dead', 'cancelled'));

-- why: the outbox list (GET /api/v1/outbox) is newest first; without an index on that order it read and sorted every outbound message.
CREATE INDEX outbound_messages_list_idx ON outbound_messages (created_at DESC, id);

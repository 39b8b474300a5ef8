-- why: list a ticket's messages in the order they were recorded when their timestamps are equal
-- (a message and its acknowledgement share one transaction's time), not by a random uuid.
ALTER TABLE messages ADD COLUMN seq bigint;
-- Earlier messages keep their order; at one instant, what came in goes before what answered it.
UPDATE messages m SET seq = ordered.n
FROM (
    SELECT id, row_number() OVER (ORDER BY created_at, direction <> 'inbound', id) AS n
    FROM messages
) AS ordered
WHERE ordered.id = m.id;
ALTER TABLE messages ALTER COLUMN seq SET NOT NULL;
ALTER TABLE messages ALTER COLUMN seq ADD GENERATED ALWAYS AS IDENTITY;
SELECT setval(pg_get_serial_sequence('messages', 'seq'), coalesce(max(seq), 0) + 1, false)
FROM messages;

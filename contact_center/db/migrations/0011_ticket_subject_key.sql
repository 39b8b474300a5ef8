-- why: an email that names no ticket joins one only when its subject, without reply and forward
-- prefixes, is that conversation's (tickets/threads.py subject_key); found by index, per customer.
ALTER TABLE tickets ADD COLUMN subject_key text;
CREATE INDEX tickets_customer_subject_key_idx ON tickets (customer_id, subject_key)
    WHERE subject_key IS NOT NULL;
-- Active email tickets keep their replies: their key from the subject of their first mail, with
-- the common prefixes removed (the Python function knows more languages; a subject it reads
-- differently only opens a new ticket, as every subject did not match before this change).
UPDATE tickets t SET subject_key = left(btrim(regexp_replace(regexp_replace(
        lower(replace(first_mail.subject, '：', ':')),
        '\[[^][]{0,40}#[0-9]{1,12}\]', ' ', 'g'),
        '^(\s*(re|fwd?|aw|wg|sv|vs|tr|rv|回复|答复|转发)\s*:)+|\s+', ' ', 'g')), 200)
FROM (
    SELECT DISTINCT ON (ticket_id) ticket_id, subject FROM messages
    WHERE direction = 'inbound' AND channel = 'email'
    ORDER BY ticket_id, created_at
) AS first_mail
WHERE first_mail.ticket_id = t.id AND t.channel = 'email' AND t.status IN ('new', 'open', 'pending');
UPDATE tickets SET subject_key = NULL WHERE subject_key = '';

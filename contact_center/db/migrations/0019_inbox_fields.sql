-- why: the inbox needs ticket tags, a first-response due time per ticket, and the queues each agent works.
ALTER TABLE tickets ADD COLUMN tags text[] NOT NULL DEFAULT '{}';
-- Set when a ticket opens, from the first-response target of its priority; NULL on tickets
-- opened before this column existed, which are never overdue.
ALTER TABLE tickets ADD COLUMN due_at timestamptz;
ALTER TABLE users ADD COLUMN queues text[] NOT NULL DEFAULT '{}';

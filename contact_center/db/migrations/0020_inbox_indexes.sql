-- why: each inbox view, its count and its pages read only active tickets, through small partial indexes.
-- Active means new, open or pending: a small share of all tickets, so these indexes stay small
-- however many resolved and closed tickets pile up. A view walks its own index (assignee or
-- queue) or the index of the chosen sort; the counts read the assignee index alone (it carries
-- the queue). The sort expressions are spelled exactly as tickets/inbox_query.py writes them.
CREATE INDEX tickets_inbox_activity_idx ON tickets (last_message_at DESC, id DESC)
    WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_inbox_oldest_idx ON tickets (created_at, id)
    WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_inbox_priority_idx
    ON tickets ((array_position(ARRAY['urgent', 'high', 'normal', 'low']::text[], priority)),
                created_at, id)
    WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_inbox_due_idx ON tickets ((coalesce(due_at, 'infinity'::timestamptz)), id)
    WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_inbox_assignee_idx ON tickets (assignee_id, last_message_at DESC, id DESC)
    INCLUDE (queue) WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_inbox_queue_idx ON tickets (queue, last_message_at DESC, id DESC)
    WHERE status IN ('new', 'open', 'pending');

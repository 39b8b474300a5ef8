-- why: each inbox view, its count and its pages read only active tickets, through small partial indexes.
-- Active means new, open or pending: a small share of all tickets, so these indexes stay small
-- however many resolved and closed tickets pile up. Each view walks its own index newest
-- activity first; the counts read the assignee index alone (it carries the queue).
CREATE INDEX tickets_inbox_activity_idx ON tickets (last_message_at DESC, id DESC)
    WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_inbox_assignee_idx ON tickets (assignee_id, last_message_at DESC, id DESC)
    INCLUDE (queue) WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_inbox_queue_idx ON tickets (queue, last_message_at DESC, id DESC)
    WHERE status IN ('new', 'open', 'pending');
-- Tickets still waiting for a first answer, soonest due first (the overdue filter and sort).
CREATE INDEX tickets_inbox_due_idx ON tickets (due_at, id)
    WHERE status IN ('new', 'open') AND first_response_at IS NULL;

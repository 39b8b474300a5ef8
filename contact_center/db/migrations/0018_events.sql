-- why: live events become a durable log written in the changing transaction; pg_notify carries
-- only the id, so every web process reads the same rows in order and a reconnecting browser or
-- listener catches up from the table instead of losing what happened while it was away.
CREATE TABLE events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    ticket_id uuid,
    customer_id uuid,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_created_at_idx ON events (created_at);

-- The highest id the retention job has deleted: a browser resuming from an id below it has
-- missed events that are gone, and must reload instead of replaying.
CREATE TABLE events_pruned (
    only_row boolean PRIMARY KEY DEFAULT true CONSTRAINT events_pruned_one_row CHECK (only_row),
    through_id bigint NOT NULL DEFAULT 0
);
INSERT INTO events_pruned DEFAULT VALUES;

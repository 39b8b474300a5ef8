-- why: every ticket is timed (first response, next update, resolution) and every workflow step has a deadline; clocks pause while the ticket waits on the customer and fire warnings and breaches once.
CREATE TABLE clocks (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    case_id bigint,  -- a step clock's case (cases arrive in 0032, which adds the foreign key)
    kind text NOT NULL CHECK (kind IN ('first_response', 'next_update', 'resolution', 'step')),
    step text,
    state text NOT NULL CHECK (state IN ('running', 'paused', 'met', 'cancelled')),
    mode text NOT NULL CHECK (mode IN ('business', 'wall')),
    target_seconds integer NOT NULL CHECK (target_seconds >= 0),
    used_seconds integer NOT NULL DEFAULT 0,
    started_at timestamptz NOT NULL,
    running_since timestamptz,
    due_at timestamptz,
    warn_at timestamptz,
    warned_at timestamptz,
    breached_at timestamptz,
    ended_at timestamptz,
    escalate_to text,
    warn_share real NOT NULL DEFAULT 0.8 CHECK (warn_share > 0 AND warn_share <= 1),
    -- When the timer scanner must next look at this clock: the warning, then the breach; NULL
    -- when nothing is left to fire (paused, stopped, or warned and breached).
    fire_at timestamptz,
    CONSTRAINT clocks_step_named CHECK ((kind = 'step') = (step IS NOT NULL))
);

-- One live clock of each kind (and step) per ticket.
CREATE UNIQUE INDEX clocks_one_live ON clocks (ticket_id, kind, coalesce(step, ''))
    WHERE state IN ('running', 'paused');
CREATE INDEX clocks_fire_at ON clocks (fire_at) WHERE fire_at IS NOT NULL;
CREATE INDEX clocks_ticket ON clocks (ticket_id);

-- The clock event log: shown on the ticket and read by reports.
CREATE TABLE clock_events (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    clock_id bigint NOT NULL REFERENCES clocks (id) ON DELETE CASCADE,
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    event text NOT NULL CHECK (event IN ('started', 'paused', 'resumed', 'warned', 'breached', 'met', 'cancelled')),
    at timestamptz NOT NULL,
    detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX clock_events_ticket ON clock_events (ticket_id, at);
-- A warning and a breach are written once per clock, whoever fires them.
CREATE UNIQUE INDEX clock_events_fired_once ON clock_events (clock_id, event)
    WHERE event IN ('warned', 'breached');

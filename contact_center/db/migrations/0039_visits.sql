-- why: the visit plan: visits with their records, managers' visit profiles and leave, calendar feeds.

-- How an account is visited where it differs from the site's visit rules (window, length).
CREATE TABLE visit_accounts (
    organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    window_start time,
    window_end time,
    visit_minutes integer CHECK (visit_minutes BETWEEN 5 AND 480),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((window_start IS NULL) = (window_end IS NULL)),
    CHECK (window_start < window_end)
);

-- An account manager's days for visits; empty fields fall back to the site's visit rules.
CREATE TABLE visit_profiles (
    manager_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    start_latitude double precision CHECK (start_latitude BETWEEN -90 AND 90),
    start_longitude double precision CHECK (start_longitude BETWEEN -180 AND 180),
    hours_start time,
    hours_end time,
    weekdays smallint[] NOT NULL DEFAULT '{1,2,3,4,5}',
    capacity integer CHECK (capacity BETWEEN 1 AND 40),
    version integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((start_latitude IS NULL) = (start_longitude IS NULL)),
    CHECK ((hours_start IS NULL) = (hours_end IS NULL)),
    CHECK (hours_start < hours_end),
    CHECK (weekdays <@ '{1,2,3,4,5,6,7}'::smallint[])
);

-- Days a manager makes no visits (site-local dates).
CREATE TABLE visit_leave (
    manager_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day date NOT NULL,
    note text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (manager_id, day)
);

-- The secret of a manager's calendar feed URL (128 random bits); rotating replaces it.
CREATE TABLE calendar_feeds (
    manager_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token text NOT NULL CONSTRAINT calendar_feeds_token_key UNIQUE,
    created_at timestamptz NOT NULL
);

-- A visit on a manager's plan and, once made, its record. `pinned`: moved by hand, the planner
-- keeps it. The reminder columns make the day-before SMS happen once: `reminder_at` is set when
-- it was queued or skipped (`reminder_skip` says why: opted out, no mobile number, or the outbox
-- refused it, e.g. no sender number configured; `missed_window`: the evening before passed
-- without it being sent, e.g. the worker was down).
CREATE TABLE visits (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    manager_id uuid NOT NULL REFERENCES users (id),
    day date NOT NULL,
    kind text NOT NULL CHECK (kind IN ('cadence', 'requested')),
    state text NOT NULL DEFAULT 'planned'
        CHECK (state IN ('planned', 'confirmed', 'done', 'missed', 'cancelled')),
    pinned boolean NOT NULL DEFAULT false,
    request_id uuid REFERENCES visit_requests (id),
    sequence integer,
    arrives_at timestamptz,
    leaves_at timestamptz,
    outcome_notes text NOT NULL DEFAULT '',
    next_steps text NOT NULL DEFAULT '',
    satisfaction smallint CHECK (satisfaction BETWEEN 1 AND 5),
    recorded_at timestamptz,
    recorded_by uuid REFERENCES users (id) ON DELETE SET NULL,
    cancel_reason text NOT NULL DEFAULT '',
    reminder_at timestamptz,
    reminder_outbound_id uuid REFERENCES outbound_messages (id) ON DELETE SET NULL,
    reminder_skip text
        CHECK (reminder_skip IN ('opted_out', 'no_mobile', 'refused', 'missed_window')),
    version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
-- One live visit per account and day: a re-plan racing a move cannot double-book.
CREATE UNIQUE INDEX visits_one_live_per_day ON visits (organization_id, day)
    WHERE state IN ('planned', 'confirmed', 'done');
CREATE INDEX visits_manager_day ON visits (manager_id, day);
CREATE INDEX visits_account_done ON visits (organization_id, day) WHERE state = 'done';
CREATE INDEX visits_reminder_due ON visits (day)
    WHERE state IN ('planned', 'confirmed') AND reminder_at IS NULL;
CREATE INDEX visits_request ON visits (request_id) WHERE request_id IS NOT NULL;

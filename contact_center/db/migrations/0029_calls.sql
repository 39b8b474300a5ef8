-- why: every phone call is an interaction on a ticket (IVR path, queue, wait, talk, outcome, recording), and abandoned calls and voicemails become callback tasks.
CREATE TABLE calls (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    call_sid text NOT NULL CONSTRAINT calls_call_sid_key UNIQUE,
    ticket_id uuid NOT NULL REFERENCES tickets (id),
    message_id uuid REFERENCES messages (id),
    customer_id uuid NOT NULL REFERENCES customers (id),
    from_number text NOT NULL,
    to_number text NOT NULL DEFAULT '',
    direction text NOT NULL CONSTRAINT calls_direction_check
        CHECK (direction IN ('inbound', 'outbound')),
    language text NOT NULL DEFAULT 'en',
    -- The menu choices in order (complaint, orders, other, operator, default, place_back).
    ivr_path text[] NOT NULL DEFAULT '{}',
    menu_attempts integer NOT NULL DEFAULT 0,
    queue text REFERENCES queues (name) ON UPDATE CASCADE,
    priority text NOT NULL DEFAULT 'normal',
    key_account boolean NOT NULL DEFAULT false,
    state text NOT NULL CONSTRAINT calls_state_check
        CHECK (state IN ('ivr', 'waiting', 'connecting', 'connected', 'voicemail', 'dialing', 'ended')),
    outcome text CONSTRAINT calls_outcome_check
        CHECK (outcome IN ('answered', 'abandoned', 'voicemail', 'missed')),
    started_at timestamptz NOT NULL,
    -- A caller who calls back soon after hanging up keeps the first call's place.
    enqueued_at timestamptz,
    answered_at timestamptz,
    ended_at timestamptz,
    wait_seconds integer,
    talk_seconds integer,
    agent_id uuid REFERENCES users (id),
    recording_url text,
    recording_sid text,
    recording_seconds integer,
    transcription text,
    callback_id uuid,
    updated_at timestamptz NOT NULL
);
CREATE INDEX calls_ticket_idx ON calls (ticket_id, started_at);
CREATE INDEX calls_recent_abandoned_idx ON calls (from_number, ended_at)
    WHERE outcome = 'abandoned';

-- One row per (CallSid, CallStatus): a replayed status callback finds its row and changes nothing.
CREATE TABLE call_events (
    call_sid text NOT NULL,
    status text NOT NULL,
    received_at timestamptz NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT call_events_sid_status_key PRIMARY KEY (call_sid, status)
);

CREATE TABLE callback_tasks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    ticket_id uuid NOT NULL REFERENCES tickets (id),
    customer_id uuid NOT NULL REFERENCES customers (id),
    call_id uuid REFERENCES calls (id),
    phone text NOT NULL,
    reason text NOT NULL CONSTRAINT callback_tasks_reason_check
        CHECK (reason IN ('abandoned', 'voicemail', 'manual')),
    due_at timestamptz NOT NULL,
    state text NOT NULL DEFAULT 'open' CONSTRAINT callback_tasks_state_check
        CHECK (state IN ('open', 'done', 'cancelled')),
    outcome text CONSTRAINT callback_tasks_outcome_check
        CHECK (outcome IN ('reached', 'no_answer', 'voicemail_left', 'wrong_number', 'not_needed')),
    note text NOT NULL DEFAULT '',
    assignee_id uuid REFERENCES users (id),
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL,
    done_at timestamptz,
    updated_at timestamptz NOT NULL
);
CREATE INDEX callback_tasks_open_idx ON callback_tasks (due_at) WHERE state = 'open';
CREATE INDEX callback_tasks_ticket_idx ON callback_tasks (ticket_id);
-- At most one open callback per call: a replayed hang-up never makes a second.
CREATE UNIQUE INDEX callback_tasks_one_per_call_idx ON callback_tasks (call_id)
    WHERE call_id IS NOT NULL AND state = 'open';
ALTER TABLE calls ADD CONSTRAINT calls_callback_fkey FOREIGN KEY (callback_id)
    REFERENCES callback_tasks (id);

-- Outbound calls per calling number are paced (Twilio's calls-per-second limit) across
-- every worker: the next free slot is taken with one atomic upsert, as SMS does.
CREATE TABLE call_rate_slots (
    from_number text PRIMARY KEY,
    next_slot timestamptz NOT NULL
);

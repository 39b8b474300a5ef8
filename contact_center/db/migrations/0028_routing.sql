-- why: the routing engine keeps agents (presence, skills, capacity, load), work items and offers in PostgreSQL, with the rules that must never break (one pending offer per item and per agent, one live item per ticket/call/callback, load within capacity) held by the database itself.
CREATE TABLE agents (
    user_id uuid PRIMARY KEY REFERENCES users (id),
    presence text NOT NULL DEFAULT 'offline' CONSTRAINT agents_presence_check
        CHECK (presence IN ('available', 'busy', 'away', 'offline')),
    reason text NOT NULL DEFAULT '',
    since timestamptz NOT NULL DEFAULT now(),
    skills text[] NOT NULL DEFAULT '{}',
    voice_capacity integer NOT NULL DEFAULT 1 CONSTRAINT agents_voice_capacity_check
        CHECK (voice_capacity BETWEEN 0 AND 100),
    messaging_capacity integer NOT NULL DEFAULT 5 CONSTRAINT agents_messaging_capacity_check
        CHECK (messaging_capacity BETWEEN 0 AND 100),
    -- Load counts pending offers too: an offer reserves its capacity until it is decided.
    -- Raised only by guarded UPDATEs (load < capacity); a lowered capacity lets it drain.
    voice_load integer NOT NULL DEFAULT 0 CONSTRAINT agents_voice_load_check CHECK (voice_load >= 0),
    messaging_load integer NOT NULL DEFAULT 0
        CONSTRAINT agents_messaging_load_check CHECK (messaging_load >= 0),
    missed_offers integer NOT NULL DEFAULT 0 CHECK (missed_offers >= 0),
    idle_since timestamptz NOT NULL DEFAULT now(),
    handled_today integer NOT NULL DEFAULT 0,
    handled_day date,
    last_offered_at timestamptz,  -- the round-robin stamp
    phone text NOT NULL DEFAULT '',  -- where a call is connected when not to the browser
    client_identity text NOT NULL DEFAULT '',  -- the browser voice client's identity
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agents_available_idx ON agents (idle_since) WHERE presence = 'available';

CREATE TABLE work_items (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind text NOT NULL CONSTRAINT work_items_kind_check CHECK (kind IN ('call', 'ticket', 'callback')),
    channel text NOT NULL DEFAULT '',  -- voice, sms, email, callback: for the board
    queue text NOT NULL REFERENCES queues (name) ON UPDATE CASCADE,
    ticket_id uuid REFERENCES tickets (id) ON DELETE CASCADE,
    call_id uuid,  -- calls and callbacks get their tables with the voice work (0029)
    callback_id uuid,
    customer_id uuid REFERENCES customers (id) ON DELETE SET NULL,
    priority text NOT NULL CONSTRAINT work_items_priority_check
        CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    key_account boolean NOT NULL DEFAULT false,
    complaint boolean NOT NULL DEFAULT false,
    preferred_agent_ids uuid[] NOT NULL DEFAULT '{}',
    skills text[] NOT NULL DEFAULT '{}',
    enqueued_at timestamptz NOT NULL,
    -- enqueued_at less the priority's head start: the order items are served in (routing.choice).
    rank_at timestamptz NOT NULL,
    state text NOT NULL DEFAULT 'waiting' CONSTRAINT work_items_state_check
        CHECK (state IN ('waiting', 'offered', 'assigned', 'done', 'cancelled')),
    widened integer NOT NULL DEFAULT 0 CHECK (widened BETWEEN 0 AND 2),
    assigned_to uuid REFERENCES users (id),
    assigned_at timestamptz,
    ended_at timestamptz,
    end_reason text NOT NULL DEFAULT '',
    summary jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT work_items_one_subject_check CHECK (num_nonnulls(ticket_id, call_id, callback_id) = 1),
    CONSTRAINT work_items_assigned_check CHECK (state <> 'assigned' OR assigned_to IS NOT NULL)
);
CREATE UNIQUE INDEX work_items_live_ticket_key ON work_items (ticket_id)
    WHERE state IN ('waiting', 'offered', 'assigned');
CREATE UNIQUE INDEX work_items_live_call_key ON work_items (call_id)
    WHERE state IN ('waiting', 'offered', 'assigned');
CREATE UNIQUE INDEX work_items_live_callback_key ON work_items (callback_id)
    WHERE state IN ('waiting', 'offered', 'assigned');
CREATE INDEX work_items_waiting_idx ON work_items (rank_at) WHERE state = 'waiting';
CREATE INDEX work_items_live_queue_idx ON work_items (queue, rank_at)
    WHERE state IN ('waiting', 'offered');
CREATE INDEX work_items_assigned_to_idx ON work_items (assigned_to) WHERE state = 'assigned';
CREATE INDEX work_items_enqueued_at_idx ON work_items (enqueued_at);

CREATE TABLE offers (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    item_id uuid NOT NULL REFERENCES work_items (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id),
    workload text NOT NULL CONSTRAINT offers_workload_check CHECK (workload IN ('voice', 'messaging')),
    reason text NOT NULL DEFAULT '',  -- why this agent: preferred, strategy, widened
    offered_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    outcome text NOT NULL DEFAULT 'pending' CONSTRAINT offers_outcome_check
        CHECK (outcome IN ('pending', 'accepted', 'rejected', 'expired', 'withdrawn')),
    decided_at timestamptz,
    CONSTRAINT offers_decided_check CHECK ((outcome = 'pending') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX offers_one_pending_per_item_key ON offers (item_id) WHERE outcome = 'pending';
CREATE UNIQUE INDEX offers_one_pending_per_agent_key ON offers (user_id) WHERE outcome = 'pending';
CREATE UNIQUE INDEX offers_one_accepted_per_item_key ON offers (item_id) WHERE outcome = 'accepted';
CREATE INDEX offers_pending_expiry_idx ON offers (expires_at) WHERE outcome = 'pending';
CREATE INDEX offers_item_idx ON offers (item_id);

-- why: complaint handling runs by a workflow definition stored as versioned data; each case keeps the version it started with.
CREATE TABLE workflow_definitions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    version integer NOT NULL CHECK (version > 0),
    body jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    CONSTRAINT workflow_definitions_name_version_key UNIQUE (name, version)
);

CREATE TABLE cases (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    definition_id bigint NOT NULL REFERENCES workflow_definitions (id),
    step text NOT NULL,
    state text NOT NULL CHECK (state IN ('open', 'closed', 'withdrawn')),
    source text NOT NULL CHECK (source IN ('ivr', 'address', 'agent', 'classifier')),
    confidence real CHECK (confidence BETWEEN 0 AND 1),
    matched text[] NOT NULL DEFAULT '{}',
    fields jsonb NOT NULL DEFAULT '{}',
    key_account boolean NOT NULL DEFAULT false,
    opened_at timestamptz NOT NULL,
    step_entered_at timestamptz NOT NULL,
    closed_at timestamptz
);
-- One case per ticket that is not withdrawn: a reopened complaint goes on in its case.
CREATE UNIQUE INDEX cases_one_per_ticket ON cases (ticket_id) WHERE state <> 'withdrawn';
CREATE INDEX cases_open_step ON cases (step) WHERE state = 'open';

ALTER TABLE clocks ADD CONSTRAINT clocks_case_id_fkey
    FOREIGN KEY (case_id) REFERENCES cases (id) ON DELETE CASCADE;

-- Every step a case went through: time in each step for reports, and who moved it.
CREATE TABLE case_steps (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    step text NOT NULL,
    entered_at timestamptz NOT NULL,
    left_at timestamptz,
    entered_by uuid REFERENCES users (id) ON DELETE SET NULL,  -- NULL: the system
    note text NOT NULL DEFAULT ''
);
CREATE INDEX case_steps_case ON case_steps (case_id, entered_at);

-- Managed lists: complaint categories and root causes.
CREATE TABLE case_labels (
    list text NOT NULL CHECK (list IN ('category', 'root_cause')),
    key text NOT NULL CHECK (key ~ '^[a-z0-9_]{1,40}$'),
    title jsonb NOT NULL,  -- language -> text
    active boolean NOT NULL DEFAULT true,
    position integer NOT NULL DEFAULT 0,
    PRIMARY KEY (list, key)
);

-- why: lifecycle changes and the four account health figures, kept as history.

-- Each move of an account's lifecycle stage by the daily job, with the activity it saw: the
-- account manager reads why an account went dormant or came back.
CREATE TABLE lifecycle_changes (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    from_stage text NOT NULL,
    to_stage text NOT NULL
        CHECK (to_stage IN ('prospect', 'customer', 'dormant', 'lost')),
    last_activity_on date,
    changed_at timestamptz NOT NULL
);
CREATE INDEX lifecycle_changes_account ON lifecycle_changes (organization_id, changed_at);

-- One row per account per site day: the four figures as the daily job computed them. A second
-- run on the same day replaces that day's row. Null: not known (no scores; no account total).
CREATE TABLE account_health (
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    day date NOT NULL,
    satisfaction numeric(5, 1) CHECK (satisfaction BETWEEN 0 AND 100),
    loyalty numeric(5, 1) NOT NULL CHECK (loyalty BETWEEN 0 AND 100),
    contribution numeric(7, 3) NOT NULL CHECK (contribution BETWEEN 0 AND 100),
    contribution_rank integer CHECK (contribution_rank >= 1),
    dependency numeric(5, 1) CHECK (dependency BETWEEN 0 AND 100),
    details jsonb NOT NULL DEFAULT '{}',
    computed_at timestamptz NOT NULL,
    PRIMARY KEY (organization_id, day)
);
CREATE INDEX account_health_day ON account_health (day);

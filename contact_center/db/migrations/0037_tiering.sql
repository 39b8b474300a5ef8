-- why: value history, ABC tier runs, overrides and the history of tier moves.
-- One tier run: when, who asked (none: the schedule), the value window and what it moved.
CREATE TABLE tier_runs (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    trigger text NOT NULL CHECK (trigger IN ('scheduled', 'manual')),
    actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    window_from date NOT NULL,
    window_to date NOT NULL,
    a_share numeric NOT NULL,
    b_share numeric NOT NULL,
    accounts integer NOT NULL DEFAULT 0,
    moved integer NOT NULL DEFAULT 0,
    ran_at timestamptz NOT NULL
);
CREATE INDEX tier_runs_ran_at ON tier_runs (ran_at DESC);

-- The tier each run computed for each account with value in its window.
CREATE TABLE tier_run_results (
    run_id uuid NOT NULL REFERENCES tier_runs (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    tier text NOT NULL CHECK (tier IN ('A', 'B', 'C')),
    value numeric(18, 2) NOT NULL,
    share_before numeric NOT NULL,
    PRIMARY KEY (run_id, organization_id)
);

-- Per account: the last computed tier, a person's override (wins over every later run until
-- removed) and the hand flag "key account" (a key account whatever its tier).
CREATE TABLE account_tier_states (
    organization_id uuid PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    computed_tier text CHECK (computed_tier IN ('A', 'B', 'C')),
    computed_run_id uuid REFERENCES tier_runs (id) ON DELETE SET NULL,
    override_tier text CHECK (override_tier IN ('A', 'B', 'C')),
    override_reason text NOT NULL DEFAULT '',
    override_by uuid REFERENCES users (id) ON DELETE SET NULL,
    override_at timestamptz,
    key_by_hand boolean NOT NULL DEFAULT false,
    CHECK ((override_tier IS NULL) = (override_at IS NULL))
);

-- Every move of an account's tier, up or down, with its reason (`cut-off`, `override: ...`,
-- `override removed`).
CREATE TABLE tier_moves (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    from_tier text CHECK (from_tier IN ('A', 'B', 'C')),
    to_tier text CHECK (to_tier IN ('A', 'B', 'C')),
    reason text NOT NULL,
    run_id uuid REFERENCES tier_runs (id) ON DELETE SET NULL,
    actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
    moved_at timestamptz NOT NULL
);
CREATE INDEX tier_moves_account ON tier_moves (organization_id, moved_at DESC);
CREATE INDEX tier_moves_recent ON tier_moves (moved_at DESC);

-- why: failed logins are counted atomically, one locked row per account, per address and per
-- account-and-address pair, with growing delays, instead of check-then-insert over a log.
CREATE TABLE login_throttles (
    scope text NOT NULL
        CONSTRAINT login_throttles_scope_check CHECK (scope IN ('pair', 'account', 'address')),
    key text NOT NULL,
    failures integer NOT NULL DEFAULT 0,
    window_started_at timestamptz,
    next_attempt_at timestamptz,
    last_success_at timestamptz,
    PRIMARY KEY (scope, key)
);
CREATE INDEX login_throttles_window_started_at_idx ON login_throttles (window_started_at);

DROP TABLE login_failures;

-- why: the deadlines lists (GET /api/v1/deadlines, read by every open board and inbox on deadline events) scanned every live clock; only warned ones are listed (a breach is always warned first), and those are few.
CREATE INDEX clocks_deadlines ON clocks (due_at, id)
    WHERE state IN ('running', 'paused') AND warned_at IS NOT NULL;

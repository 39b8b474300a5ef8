-- why: reviewing suggested duplicate customers: a dismissed pair is remembered so it is not
-- suggested again, email local parts and phone endings are indexed to find candidate pairs,
-- and a merge remembers the card fields it filled in on the survivor so that undo clears them.
CREATE TABLE customer_duplicate_dismissals (
    customer_a uuid NOT NULL REFERENCES customers (id),
    customer_b uuid NOT NULL REFERENCES customers (id),
    dismissed_by uuid REFERENCES users (id),
    dismissed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_a, customer_b),
    -- one row per pair whichever way round it was dismissed
    CONSTRAINT customer_duplicate_dismissals_order_check CHECK (customer_a < customer_b)
);

-- `li.wei@a.example` and `li.wei@b.example`; the same number entered under two regions
-- (+12125550177, +862125550177) ends in the same digits.
CREATE INDEX customer_identities_email_local_idx
    ON customer_identities (split_part(value, '@', 1)) WHERE kind = 'email';
CREATE INDEX customer_identities_phone_tail_idx
    ON customer_identities ("right"(value, 7)) WHERE kind = 'phone';

-- {field: {"before": survivor's value, "after": the value taken from the merged card}}
ALTER TABLE customer_merges ADD COLUMN filled_fields jsonb NOT NULL DEFAULT '{}';

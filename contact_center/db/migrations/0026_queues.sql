-- why: routing queues become a table (skills, business hours, strategy, limits) instead of free text derived from a ticket's kind.
CREATE TABLE queues (
    name text PRIMARY KEY CONSTRAINT queues_name_check CHECK (length(name) BETWEEN 1 AND 60),
    label text NOT NULL DEFAULT '',
    -- The ticket kinds that land here by default; the default queue takes the rest.
    kinds text[] NOT NULL DEFAULT '{}',
    is_default boolean NOT NULL DEFAULT false,
    skills text[] NOT NULL DEFAULT '{}',
    -- A weekly schedule in the site's time zone: {"mon": [["08:00", "18:00"]], ...};
    -- a day that is missing or empty is closed. Holidays join with the business calendar.
    hours jsonb NOT NULL DEFAULT '{"mon": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]],
        "wed": [["08:00", "18:00"]], "thu": [["08:00", "18:00"]], "fri": [["08:00", "18:00"]]}',
    strategy text NOT NULL DEFAULT 'longest_idle' CONSTRAINT queues_strategy_check
        CHECK (strategy IN ('longest_idle', 'round_robin', 'fewest_today')),
    -- Past this a waiting caller is offered voicemail.
    wait_limit_seconds integer NOT NULL DEFAULT 600 CHECK (wait_limit_seconds > 0),
    -- Service level: the share of calls answered within this many seconds.
    service_level_seconds integer NOT NULL DEFAULT 20 CHECK (service_level_seconds > 0),
    -- Past this an item waiting here widens: to agents without the skills, then the overflow queue.
    step_seconds integer NOT NULL DEFAULT 120 CHECK (step_seconds > 0),
    overflow_queue text REFERENCES queues (name),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX queues_one_default_idx ON queues (is_default) WHERE is_default;

INSERT INTO queues (name, label, kinds, is_default, skills) VALUES
    ('general', 'General', '{inquiry,other}', true, '{}'),
    ('complaint', 'Complaints', '{complaint}', false, '{complaints}'),
    ('order', 'Orders', '{order}', false, '{orders}');
UPDATE queues SET overflow_queue = 'general' WHERE name <> 'general';

-- Tickets and agents named their queue after the ticket kind: inquiries and others now share
-- the general queue; any other name used so far becomes a queue of its own.
UPDATE tickets SET queue = 'general' WHERE queue IN ('inquiry', 'other', '');
UPDATE users SET queues = ARRAY(SELECT DISTINCT CASE WHEN q IN ('inquiry', 'other') THEN 'general'
                                                     ELSE q END FROM unnest(queues) q)
WHERE queues && '{inquiry,other}';
INSERT INTO queues (name, label)
SELECT DISTINCT q, q FROM (SELECT queue AS q FROM tickets UNION SELECT unnest(queues) FROM users) u
WHERE q <> '' ON CONFLICT DO NOTHING;
ALTER TABLE tickets ALTER COLUMN queue SET DEFAULT 'general';
ALTER TABLE tickets ADD CONSTRAINT tickets_queue_fkey FOREIGN KEY (queue) REFERENCES queues (name)
    ON UPDATE CASCADE;

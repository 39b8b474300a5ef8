-- why: pace SMS per sending number exactly, across any number of worker processes.
CREATE TABLE sms_rate_slots (
    from_address text PRIMARY KEY,
    next_slot timestamptz NOT NULL
);
ALTER TABLE outbound_messages ADD COLUMN rate_slot_at timestamptz;

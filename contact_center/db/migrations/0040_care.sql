-- why: customer care messages: greetings sent once per occasion, broadcasts to a segment with their recipients, and customers who want no care messages.

-- A customer who asked for no greetings or broadcasts (set on the info card). SMS STOP is
-- kept by the customer's card itself (`customers.sms_opted_out`) and honoured by the outbox.
CREATE TABLE care_opt_outs (
    customer_id uuid PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
    since timestamptz NOT NULL,
    set_by uuid REFERENCES users (id) ON DELETE SET NULL
);

-- One greeting per customer and occasion ('birthday:2027', 'holiday:2027-02-17'): the row is
-- claimed in the transaction that queues the message, so a rerun or a second worker sends none.
-- `skipped` says why nothing went (opted out, no address); `outbound_id` names what went.
CREATE TABLE care_sends (
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    occasion text NOT NULL,
    outbound_id uuid REFERENCES outbound_messages (id) ON DELETE SET NULL,
    skipped text CHECK (skipped IN ('opted_out', 'care_opted_out', 'no_address')),
    at timestamptz NOT NULL,
    PRIMARY KEY (customer_id, occasion)
);
CREATE INDEX care_sends_at ON care_sends (at);

-- A message to a segment of customers, sent at the care rate by a self-queueing task.
CREATE TABLE broadcasts (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    segment jsonb NOT NULL,
    body_en text NOT NULL,
    body_zh text NOT NULL DEFAULT '',
    channel text CHECK (channel IN ('sms', 'email')),  -- NULL: each customer's preferred one
    state text NOT NULL DEFAULT 'sending' CHECK (state IN ('sending', 'done', 'cancelled')),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL,
    next_batch_at timestamptz NOT NULL,  -- the rate limit: no batch before this time
    finished_at timestamptz,
    CHECK ((state = 'sending') = (finished_at IS NULL))
);
CREATE INDEX broadcasts_created ON broadcasts (created_at DESC, id);

-- Who a broadcast goes to, fixed when it starts. `handled_at` NULL: still to send; a handled
-- row names its outbound message or why it was skipped. The key makes one message per
-- customer and broadcast, whatever restarts happen.
CREATE TABLE broadcast_recipients (
    broadcast_id uuid NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    outbound_id uuid REFERENCES outbound_messages (id) ON DELETE SET NULL,
    skipped text CHECK (skipped IN ('opted_out', 'care_opted_out', 'no_address', 'cancelled')),
    handled_at timestamptz,
    PRIMARY KEY (broadcast_id, customer_id)
);
CREATE INDEX broadcast_recipients_waiting ON broadcast_recipients (broadcast_id, customer_id)
    WHERE handled_at IS NULL;
CREATE INDEX broadcast_recipients_customer ON broadcast_recipients (customer_id);
-- The rate limit counts the messages all broadcasts queued in the last minute.
CREATE INDEX broadcast_recipients_queued ON broadcast_recipients (handled_at)
    WHERE outbound_id IS NOT NULL;

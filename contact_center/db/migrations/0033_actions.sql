-- why: a complaint's automatic actions (acknowledgement, callbacks, follow-up visit, survey) run once per step entry, key accounts get follow-up visit requests, and satisfaction surveys record the customer's score.

-- One row per action a case ran on entering a step: the key makes a retried or re-run step
-- entry change nothing. Actions that send a message wait ('pending') for the worker's job.
CREATE TABLE case_actions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    action text NOT NULL CHECK (action IN (
        'acknowledge', 'assign_owner', 'key_account_callback', 'confirmation_callback',
        'followup_visit', 'survey')),
    step text NOT NULL,
    step_entered_at timestamptz NOT NULL,
    state text NOT NULL CHECK (state IN ('pending', 'done', 'skipped')),
    note text NOT NULL DEFAULT '',
    payload jsonb NOT NULL DEFAULT '{}',  -- what a pending action's job needs (its text)
    created_at timestamptz NOT NULL,
    done_at timestamptz,
    CONSTRAINT case_actions_once_key UNIQUE (case_id, action, step_entered_at)
);

ALTER TABLE callback_tasks DROP CONSTRAINT callback_tasks_reason_check;
ALTER TABLE callback_tasks ADD CONSTRAINT callback_tasks_reason_check
    CHECK (reason IN ('abandoned', 'voicemail', 'manual', 'complaint', 'complaint_confirmation'));

-- A visit the account manager is asked to make; the visit planner places it on a day.
CREATE TABLE visit_requests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organization_id uuid NOT NULL REFERENCES organizations (id),
    ticket_id uuid REFERENCES tickets (id),
    reason text NOT NULL CHECK (reason IN ('complaint_followup')),
    requested_at timestamptz NOT NULL,
    due_by timestamptz NOT NULL,
    state text NOT NULL DEFAULT 'requested'
        CHECK (state IN ('requested', 'planned', 'cancelled')),
    note text NOT NULL DEFAULT ''
);
CREATE INDEX visit_requests_open ON visit_requests (due_by) WHERE state = 'requested';
CREATE INDEX visit_requests_ticket ON visit_requests (ticket_id);

-- A satisfaction survey sent when a complaint closed. The token is the public link's only
-- credential; the first answer counts.
CREATE TABLE surveys (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token text NOT NULL UNIQUE,
    ticket_id uuid NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    case_id bigint REFERENCES cases (id) ON DELETE SET NULL,
    channel text NOT NULL CHECK (channel IN ('sms', 'email')),
    to_address text NOT NULL,
    sent_at timestamptz NOT NULL,
    answered_at timestamptz,
    score smallint CHECK (score BETWEEN 1 AND 5),
    comment text NOT NULL DEFAULT '',
    answered_via text CHECK (answered_via IN ('sms', 'email', 'link')),
    CHECK ((answered_at IS NULL) = (score IS NULL))
);
CREATE INDEX surveys_ticket ON surveys (ticket_id);
-- An SMS or email reply finds its customer's latest unanswered survey through their tickets.
CREATE INDEX surveys_unanswered ON surveys (ticket_id, sent_at) WHERE answered_at IS NULL;

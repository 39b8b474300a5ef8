-- why: accounts at risk and the complaint report read complaints, steps, breaches and surveys by time; these indexes keep those reads off full scans.
-- Complaints (cases not withdrawn) by when they opened: at-risk counts and report volumes.
CREATE INDEX cases_opened_at ON cases (opened_at) WHERE state <> 'withdrawn';
-- Steps left in a period: time in each step.
CREATE INDEX case_steps_left_at ON case_steps (left_at) WHERE left_at IS NOT NULL;
-- Breaches in a period (a clock breaches once, so these stay few).
CREATE INDEX clock_events_breached_at ON clock_events (at) WHERE event = 'breached';
-- Surveys sent in a period: satisfaction after complaints.
CREATE INDEX surveys_sent_at ON surveys (sent_at);

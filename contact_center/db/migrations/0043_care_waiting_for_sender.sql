-- why: a broadcast recipient reachable only by SMS waits (not skipped) while the site has no SMS number to send from.
-- `held` names why a recipient still to send (handled_at NULL) is set aside: the batch passes
-- over it until the reason is gone, and the figures show it apart from the customer's skips.
ALTER TABLE broadcast_recipients ADD COLUMN held text CHECK (held IN ('no_sender'));

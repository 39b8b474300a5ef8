-- why: a broadcast recipient reachable only by SMS waits while the site has no SMS number to send from; broadcasts get an email subject per language.
-- `held` names why a recipient still to send (handled_at NULL) is set aside: the batch passes
-- over it until the reason is gone, and the figures show it apart from the customer's skips.
ALTER TABLE broadcast_recipients ADD COLUMN held text CHECK (held IN ('no_sender'));
-- The email subject of a broadcast, per language (the name stays the staff's own label).
ALTER TABLE broadcasts ADD COLUMN subject_en text NOT NULL DEFAULT '',
    ADD COLUMN subject_zh text NOT NULL DEFAULT '';

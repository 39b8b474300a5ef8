-- why: the visit plan: visits with their records, managers' visit profiles and leave, calendar feeds.
-- (filled by the change that builds it)
SELECT 1;

-- why: care messages (greetings, broadcasts) and outbound messages that belong to no ticket.
-- (filled by the change that builds it)
SELECT 1;

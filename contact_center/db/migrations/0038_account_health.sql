-- why: lifecycle changes and the four account health figures, kept as history.
-- (filled by the change that builds it)
SELECT 1;

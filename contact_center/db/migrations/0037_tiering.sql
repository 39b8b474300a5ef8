-- why: value history, ABC tier runs, overrides and the history of tier moves.
-- (filled by the change that builds it)
SELECT 1;

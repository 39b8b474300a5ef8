"""SQL for clocks and the clock event log; the timer scanner's claim."""

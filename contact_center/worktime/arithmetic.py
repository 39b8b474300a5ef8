"""Business-time arithmetic over a BusinessCalendar: add a duration, measure the open time
between two instants. Pure."""

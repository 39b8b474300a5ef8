"""Customer care messages: birthday and holiday greetings, and broadcasts to a segment."""

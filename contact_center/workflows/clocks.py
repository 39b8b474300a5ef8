"""Clock arithmetic: start, pause, resume, warning and due times, what fires next. Pure."""

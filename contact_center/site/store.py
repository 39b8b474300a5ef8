"""SQL for site settings and their versions. The only module that touches these tables."""

"""Console pages and streams; each module exports its own `ROUTES`."""

"""The web layer: REST API, auth chokepoints, and (later) console pages."""

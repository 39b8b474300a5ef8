"""The console: server-rendered pages, one module per screen, each exporting its ROUTES."""

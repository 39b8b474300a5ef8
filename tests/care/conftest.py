"""Care tests use the delivery tests' settings and senders (the stand-ins are the suite's)."""

from tests.delivery.conftest import live_settings, senders

__all__ = ["live_settings", "senders"]

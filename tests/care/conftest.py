"""Care tests use the delivery tests' stand-ins: Twilio REST and an SMTP capture."""

from tests.delivery.conftest import live_settings, senders, smtp, twilio

__all__ = ["live_settings", "senders", "smtp", "twilio"]

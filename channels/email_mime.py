"""Parsing inbound mail into plain values. Pure: bytes in, a ParsedEmail out, or ParseError.

Hostile mail is measured before the standard library parses it (`email_shape`); missing or
lying charsets fall back instead of failing. HTML is cleaned with nh3.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import collapse_rfc2231_value, getaddresses
from typing import Any

import nh3

from channels.email_address import NoUsableSender, choose_sender
from channels.email_charsets import declared_charsets, decode_text
from channels.email_identity import content_digest
from channels.email_quotes import (
    decode_words,
    html_to_text,
    html_too_deep,
    split_reply,
    strip_tags,
)
from channels.email_shape import MAX_DEPTH, MAX_PARTS, check_nesting, check_shape
from channels.email_shape import ParseError as ParseError  # raised by parse_email too

MAX_TEXT_CHARS = 1_000_000
# nh3's HTML parser is quadratic in element nesting; deeper HTML is not shown, only read as text.
MAX_HTML_DEPTH = 1_000
MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024
MAX_ATTACHMENTS_BYTES = 16 * 1024 * 1024
MAX_ID_CHARS = 255
MAX_REFERENCES = 100
TICKET_TAG = re.compile(r"\[#(\d{1,12})\]")
LOOP_HEADERS = tuple(
    "Auto-Submitted Precedence X-Autoreply X-Autorespond X-Auto-Response-Suppress X-Loop "
    "List-Id List-Unsubscribe".split()
)


@dataclass(frozen=True)
class ParsedAttachment:
    filename: str
    content_type: str
    content_id: str
    inline: bool
    content: bytes = field(repr=False)


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
    quoted: str = ""
    automated: str | None = None
    bounce_recipients: list[str] = field(default_factory=list)
    reply_tokens: list[str] = field(default_factory=list)
    parts: list[ParsedAttachment] = field(default_factory=list)
    auth_results: dict[str, str] = field(default_factory=dict)
    sender_note: str = ""


def fallback_message_id(raw: bytes) -> str:
    """Mail without a Message-ID is identified by its content without trace headers, so a
    redelivery, even by another path, still dedupes."""
    return "<sha256-" + content_digest(raw) + "@no-message-id>"


def parse_email(raw: bytes, envelope_sender: str | None = None) -> ParsedEmail:
    """The parts of a message intake needs. Raises ParseError, and nothing else, for bad mail.

    `envelope_sender` (SMTP MAIL FROM) stands in for a From header that cannot be answered.
    """
    try:
        return _parse(raw, envelope_sender)
    except ParseError:
        raise
    except Exception as exc:  # the parser's own failures are many and undocumented
        raise ParseError(f"{type(exc).__name__}: {exc}") from exc


# cid: URLs are how inline images refer to their parts; a <title> is not part of the body.
_NH3_OPTIONS: dict[str, Any] = {
    "url_schemes": nh3.ALLOWED_URL_SCHEMES | {"cid"},
    "clean_content_tags": {"script", "style", "title"},
}


def clean_html(html: str) -> str:
    """HTML safe to show an agent (no scripts, event handlers or javascript: URLs). Idempotent:
    it cleans again until the output no longer changes, as one pass is not always a fixed point.
    """
    cleaned = nh3.clean(html, **_NH3_OPTIONS)
    for _ in range(3):
        again = nh3.clean(cleaned, **_NH3_OPTIONS)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _parse(raw: bytes, envelope_sender: str | None) -> ParsedEmail:
    check_shape(raw)
    message = BytesParser(policy=policy.compat32).parsebytes(raw)
    hints = _CHARSET_HINTS.set(declared_charsets(message))
    try:
        return _read(raw, message, envelope_sender)
    finally:
        _CHARSET_HINTS.reset(hints)


def _read(raw: bytes, message: Message, envelope_sender: str | None) -> ParsedEmail:
    try:
        sender = choose_sender(_header_values(message, "From"), envelope_sender)
    except NoUsableSender as exc:
        raise ParseError(f"no sender address we can answer: {exc}") from None
    from_address, display_name = sender.address, _one_line(decode_words(sender.display_name))
    body = _Body()
    _walk(message, 0, body)
    html, text = _readable(body)
    new, quoted = split_reply(text)
    subject = _first(message, "Subject")
    hint = TICKET_TAG.search(subject)
    return ParsedEmail(
        message_id=_message_id(_first_raw(message, "Message-ID")) or fallback_message_id(raw),
        from_address=from_address,
        display_name=display_name,
        to_addresses=[a.lower() for _, a in _addresses(message, "To") if a],
        subject=subject,
        text=new,
        html=html,
        attachments=body.attachments,
        in_reply_to=_message_id(_first_raw(message, "In-Reply-To")),
        references=_references(_first_raw(message, "References")),
        ticket_hint=int(hint.group(1)) if hint else None,
        headers={name: value for name in LOOP_HEADERS if (value := _first(message, name))},
        quoted=quoted,
        automated=_automated(message, from_address, body.report),
        bounce_recipients=_bounce_recipients(message, from_address, body),
        reply_tokens=_reply_tokens(message),
        parts=body.files,
        auth_results=_auth_results(message),
        sender_note=sender.note,
    )


# --- headers -------------------------------------------------------------------------------------


def _safe(value: str) -> str:
    """Without NUL (PostgreSQL refuses it) or lone surrogates (UTF-8 cannot carry them)."""
    return value.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _one_line(value: str) -> str:
    return re.sub(r"[\x01-\x1f\x7f]+", " ", _safe(value)).strip()


# The charsets the mail being parsed declares for its body: the best evidence for its
# undeclared 8-bit header bytes and parts, which its sender's client wrote the same way.
_CHARSET_HINTS: ContextVar[tuple[str, ...]] = ContextVar("charset_hints", default=())


def _unescape_bytes(value: str) -> str:
    """A header value as text: the parser keeps raw 8-bit bytes as surrogate escapes."""
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    return decode_text(value.encode("utf-8", "surrogateescape"), None, _CHARSET_HINTS.get())


def _header_values(message: Message, name: str) -> list[str]:
    """Every value of one header, unfolded, with encoded words left as they are."""
    wanted = name.lower()
    return [
        re.sub(r"\r?\n(?=[ \t])", "", _unescape_bytes(str(value)))
        for key, value in message.raw_items()
        if key.lower() == wanted
    ]


def _first_raw(message: Message, name: str) -> str:
    return next(iter(_header_values(message, name)), "")


def _first(message: Message, name: str) -> str:
    """The first value of a header as one line of text, encoded words decoded."""
    return _one_line(decode_words(_first_raw(message, name)))


def _addresses(message: Message, *names: str) -> list[tuple[str, str]]:
    values = [value for name in names for value in _header_values(message, name)]
    return [(_one_line(decode_words(n)), _one_line(a)) for n, a in getaddresses(values)]


_ID = re.compile(rf"<[^<>\s]{{1,{MAX_ID_CHARS}}}>")


def _message_id(value: str) -> str:
    match = _ID.search(value)
    value = _one_line(match.group() if match else value)
    return value if len(value) <= MAX_ID_CHARS else ""


def _references(value: str) -> list[str]:
    ids = _ID.findall(value) or [v for v in value.split() if len(v) <= MAX_ID_CHARS]
    return [_one_line(v) for v in ids[-MAX_REFERENCES:]]


# --- the MIME tree -----------------------------------------------------------------------------


@dataclass
class _Body:
    """What the walk over the MIME tree collects, within the caps."""

    count: int = 0
    text: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)
    chars: int = 0
    attachments: list[dict[str, Any]] = field(default_factory=list)
    files: list[ParsedAttachment] = field(default_factory=list)
    file_bytes: int = 0
    bounces: list[str] = field(default_factory=list)
    report: str | None = None

    def add_text(self, into: list[str], value: str) -> None:
        room = MAX_TEXT_CHARS - self.chars
        if room > 0:
            into.append(_safe(value[:room]))
            self.chars += min(len(value), room)


def _walk(part: Message, depth: int, body: _Body) -> None:
    body.count += depth > 0  # parts, as check_nesting counts them: the root is not one
    if body.count > MAX_PARTS:
        raise ParseError(f"more than {MAX_PARTS} MIME parts")
    if depth > MAX_DEPTH:
        raise ParseError(f"MIME nesting deeper than {MAX_DEPTH}")
    content_type = _one_line(part.get_content_type())
    payload = part.get_payload()
    if content_type == "message/delivery-status":
        body.bounces.extend(_failed_recipients(payload))
    elif content_type.startswith("multipart/"):
        if content_type == "multipart/report":
            report = part.get_param("report-type") or ""
            body.report = _one_line(collapse_rfc2231_value(report)).lower()
        for child in _messages(payload) if isinstance(payload, list) else _recover(part, body):
            _walk(child, depth + 1, body)
    elif (
        content_type in ("text/plain", "text/html")
        and _one_line(part.get_content_disposition() or "") != "attachment"
    ):
        text = decode_text(_payload_bytes(part), part.get_content_charset(), _CHARSET_HINTS.get())
        body.add_text(body.text if content_type == "text/plain" else body.html, text)
    else:
        _attach(part, content_type, body)


_GUESSED_DELIMITER = re.compile(rb"^--([^\s]{1,70})[ \t]*\r?\n(?=[A-Za-z-]{1,80}:)", re.MULTILINE)


def _recover(part: Message, body: _Body) -> list[Message]:
    """The parts of a multipart whose boundary never appears, parsed again with the boundary
    its first delimiter-like line suggests; else its whole body is read as plain text."""
    raw = _payload_bytes(part)
    match = _GUESSED_DELIMITER.search(raw)
    if match:
        guessed = b'Content-Type: multipart/mixed; boundary="' + match.group(1) + b'"\r\n\r\n' + raw
        check_nesting(guessed)
        children = BytesParser(policy=policy.compat32).parsebytes(guessed).get_payload()
        if isinstance(children, list):
            return _messages(children)
    body.add_text(body.text, decode_text(raw, part.get_content_charset(), _CHARSET_HINTS.get()))
    return []


def _messages(payload: list[Any]) -> list[Message]:
    return [item for item in payload if isinstance(item, Message)]


def _payload_bytes(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _filename(part: Message, content_type: str) -> str:
    """The attachment's name, decoded (RFC 2231, RFC 2047 or raw 8-bit) and without a path."""
    probe = Message()  # params are read from headers whose raw 8-bit bytes are decoded first
    for header in ("Content-Disposition", "Content-Type"):
        if value := _first_raw(part, header):
            probe[header] = value
    name = decode_words(probe.get_filename() or "")
    name = _one_line(re.split(r"[/\\]", name)[-1])[:255]
    return name or ("message.eml" if content_type == "message/rfc822" else "")


def _attachment_bytes(part: Message) -> bytes:
    payload = part.get_payload()
    if not isinstance(payload, list):
        return _payload_bytes(part)
    try:  # an attached message is stored as the bytes of the message itself
        return b"".join(inner.as_bytes() for inner in _messages(payload))
    except Exception:  # the generator can fail on hostile headers; keep the rest of the mail
        return b""


def _attach(part: Message, content_type: str, body: _Body) -> None:
    content = _attachment_bytes(part)
    content_id = _first(part, "Content-ID").strip("<> ")[:MAX_ID_CHARS]
    disposition = _one_line(part.get_content_disposition() or "")
    inline = disposition == "inline" or (not disposition and bool(content_id))
    filename, size = _filename(part, content_type), len(content)
    meta: dict[str, Any] = {"filename": filename, "content_type": content_type}
    meta |= {"size": size, "inline": inline, "content_id": content_id}
    if size > MAX_ATTACHMENT_BYTES or body.file_bytes + size > MAX_ATTACHMENTS_BYTES:
        meta["skipped"] = "too large"
    else:
        body.file_bytes += size
        body.files.append(ParsedAttachment(filename, content_type, content_id, inline, content))
    body.attachments.append(meta)


def _readable(body: _Body) -> tuple[str, str]:
    """Cleaned HTML for display, and the text: the plain parts, else a reading of the HTML."""
    raw_html = "\n".join(body.html).strip()
    text = "\n\n".join(value.strip() for value in body.text if value.strip())
    if html_too_deep(raw_html, MAX_HTML_DEPTH):
        return "", text or strip_tags(raw_html)
    html = clean_html(raw_html) if raw_html else ""
    return html, text or (html_to_text(html) if html else "")


# --- what the headers say about the message ----------------------------------------------------

_NO_REPLY = re.compile(r"(?:no[-_.]?reply|do[-_.]?not[-_.]?reply)(?:[-+_.].*)?")
_DAEMONS = ("mailer-daemon", "postmaster")


def _automated(message: Message, sender: str, report: str | None) -> str | None:
    """Why a message must get no automatic answer (RELIABILITY.md "No mail loops"), or None."""
    local = sender.partition("@")[0]
    if report == "delivery-status":
        return "delivery status notification"
    if report is not None:
        return f"multipart/report: {report or 'no report-type'}"
    if local in _DAEMONS:
        return f"{local} sender"
    submitted = _first(message, "Auto-Submitted").lower().partition(";")[0].strip()
    precedence = _first(message, "Precedence").lower()
    if submitted and submitted != "no":
        return f"auto-submitted: {submitted}"
    if precedence in ("bulk", "list", "junk"):
        return f"precedence: {precedence}"
    for name in LOOP_HEADERS[2:]:  # the ones that count by being present
        if _header_values(message, name):
            return name.lower()
    return "no-reply sender" if _NO_REPLY.fullmatch(local) else None


def _failed_recipients(blocks: object) -> list[str]:
    """Failed addresses of a message/delivery-status, which the parser reads as one header
    block per recipient after the block about the whole message."""
    found = []
    for block in blocks if isinstance(blocks, list) else []:
        action = _first(block, "Action").lower()
        if action and not action.startswith("failed"):
            continue
        for name in ("Final-Recipient", "Original-Recipient"):
            address = _first(block, name).rpartition(";")[2].strip(" <>").lower()
            if "@" in address:
                found.append(address)
                break
    return found


def _bounce_recipients(message: Message, sender: str, body: _Body) -> list[str]:
    if body.report != "delivery-status" and sender.partition("@")[0] not in _DAEMONS:
        return []
    found = body.bounces or [a.lower() for _, a in _addresses(message, "X-Failed-Recipients")]
    return list(dict.fromkeys(a for a in found if "@" in a))


_REPLY_TOKEN = re.compile(r"reply\+([A-Za-z0-9_-]{1,64})", re.IGNORECASE)


def _reply_tokens(message: Message) -> list[str]:
    tokens: list[str] = []
    for _, address in _addresses(message, "To", "Cc", "Delivered-To"):
        local, _, domain = address.rpartition("@")
        match = _REPLY_TOKEN.fullmatch(local)
        if match and domain and match.group(1).lower() not in tokens:
            tokens.append(match.group(1).lower())
    return tokens


_AUTH_VERDICT = re.compile(r"(?:^|[\s;])(spf|dkim|dmarc)\s*=\s*([A-Za-z]+)", re.IGNORECASE)
_COMMENT = re.compile(r"\([^()]*\)")


def _auth_results(message: Message) -> dict[str, str]:
    """Verdicts of the topmost Authentication-Results, the one our own border MTA adds."""
    results = _first_raw(message, "Authentication-Results").partition(";")[2]
    for _ in range(5):  # nested comments, a few levels; each pass removes the innermost
        results = _COMMENT.sub(" ", results)
    verdicts: dict[str, str] = {}
    for match in _AUTH_VERDICT.finditer(results):
        verdicts.setdefault(match.group(1).lower(), match.group(2).lower())
    return verdicts

"""The inbound SMTP server: accepts mail for MAIL_DOMAIN only, stores it, hands it to intake.

A message is acknowledged with 250 only after it is committed: placed on a ticket, or kept raw
with its parse error when it cannot be read. A database failure answers 451 so that the
sending server retries later.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from aiosmtpd.smtp import SMTP, Envelope, Session

from channels.email_identity import content_digest
from channels.email_mime import ParsedEmail, ParseError, fallback_message_id, parse_email
from channels.smtp_server import serve_smtp
from contact_center import tickets
from contact_center.config import Settings
from contact_center.db import Pool
from contact_center.tickets import Channel, InboundContact, InboundFile
from contact_center.timeutil import utc_now

log = logging.getLogger(__name__)


class InboundMailHandler:
    def __init__(self, pool: Pool, settings: Settings) -> None:
        self.pool = pool
        self.settings = settings

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address.rpartition("@")[2].lower() != self.settings.mail_domain:
            return (
                f"550 5.7.1 Relaying denied: we accept mail for @{self.settings.mail_domain} only"
            )
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        inbox = envelope.rcpt_tos[0].lower() if envelope.rcpt_tos else ""
        try:
            await deliver(self.pool, self.settings, raw, inbox, envelope.mail_from)
        except Exception:
            log.exception("inbound mail to %s not stored", inbox)
            return "451 4.3.0 Temporary failure, please try again later"
        return "250 OK: stored"


def loop_reason(mail: ParsedEmail, mail_domain: str) -> str | None:
    """Why this mail must never be answered automatically, or None."""
    if mail.automated:
        return mail.automated
    if mail.message_id.lower().endswith(f"@{mail_domain}>"):
        return "our own message came back"
    return None


def warnings_for(mail: ParsedEmail) -> list[str]:
    """What an agent should know before trusting this mail. A DMARC failure reported in the
    mail's own headers is shown, never relied on: a forger gains nothing by adding one."""
    notes = [mail.sender_note] if mail.sender_note else []
    verdict = mail.auth_results.get("dmarc", "")
    if verdict in {"fail", "reject", "quarantine"}:
        notes.append(
            f"The sender's domain failed DMARC ({verdict}): the From address may be forged."
        )
    return notes


def provider_id(inbox: str, message_id: str, raw: bytes) -> str:
    """The dedupe key of one mail to one inbox: its Message-ID, which real mailers reuse, and
    its content without trace headers, so only a redelivery (by any path) is a replay. Keys
    count per inbox: one mail sent to support@ and orders@ is two contacts."""
    return f"{inbox}:{message_id} sha256:{content_digest(raw)}"


def to_contact(mail: ParsedEmail, raw: bytes, *, inbox: str, mail_domain: str) -> InboundContact:
    return InboundContact(
        channel=Channel.EMAIL,
        provider_id=provider_id(inbox, mail.message_id, raw),
        from_address=mail.from_address,
        display_name=mail.display_name,
        to_address=inbox,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
        quoted=mail.quoted,
        attachments=mail.attachments,
        files=[
            InboundFile(p.filename, p.content_type, p.content, p.content_id or None, p.inline)
            for p in mail.parts
        ],
        ticket_hint=mail.ticket_hint,
        rfc_message_id=mail.message_id,
        thread_refs=[r for r in [mail.in_reply_to, *mail.references] if r],
        reply_tokens=mail.reply_tokens,
        automated=loop_reason(mail, mail_domain),
        bounce_recipients=mail.bounce_recipients,
        warnings=warnings_for(mail),
        payload={
            "message_id": mail.message_id,
            "in_reply_to": mail.in_reply_to,
            "references": mail.references,
            "headers": mail.headers,
            # Not trusted for decisions: only a border MTA of ours could vouch for these.
            "authentication_results": mail.auth_results,
        },
        raw=raw.replace(b"\x00", b""),
    )


@dataclass(frozen=True)
class Unreadable:
    """A mail the parser refused: kept raw with its error, under this dedupe key."""

    provider_id: str
    error: str


def read_mail(
    raw: bytes, inbox: str, envelope_sender: str | None, mail_domain: str
) -> InboundContact | Unreadable:
    """All the CPU work on one mail (parse, content hash, copies): pure, so any thread runs it."""
    try:
        mail = parse_email(raw, envelope_sender)
    except ParseError as exc:
        return Unreadable(provider_id(inbox, fallback_message_id(raw), raw), str(exc))
    return to_contact(mail, raw, inbox=inbox, mail_domain=mail_domain)


# Mail up to this size is read on the event loop: typically about 1 ms (0.6 ms at 1 KB, 1.2 ms
# at 4 KB) and at worst about 10 ms (190 tiny parts, 900 MIME parameters), a stall no request
# notices; read inline, it never queues behind a giant mail waiting for a worker. The cost grows
# with the size (3.5 ms at 16 KB, 1-3 s at 8 MB), so larger mail goes to a worker thread; the
# hand-off costs about 40 us. Workers share the GIL with the loop, which takes it back every few
# ms as long as no single C call runs long (see email_shape.scan).
INLINE_READ_BYTES = 4 * 1024
# Bounded by the cores (the GIL-free parts, nh3 and hashing, use them) and at most 4, as a giant
# parse holds up to about 120 MB: a burst of giant mail queues here instead of taking the memory.
READ_WORKERS = max(1, min(4, os.cpu_count() or 1))


@functools.cache
def _readers() -> ThreadPoolExecutor:
    """Built on first use: importing this module (tools, tests) starts no threads."""
    return ThreadPoolExecutor(READ_WORKERS, thread_name_prefix="mail-read")


async def read_off_loop(
    raw: bytes, inbox: str, envelope_sender: str | None, mail_domain: str
) -> InboundContact | Unreadable:
    """read_mail, for mail over INLINE_READ_BYTES in the shared worker pool."""
    if len(raw) <= INLINE_READ_BYTES:
        return read_mail(raw, inbox, envelope_sender, mail_domain)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(
        _readers(), read_mail, raw, inbox, envelope_sender, mail_domain
    )


async def deliver(
    pool: Pool, settings: Settings, raw: bytes, inbox: str, envelope_sender: str | None = None
) -> None:
    """Store one message for one of our inboxes; a retry of the same message changes nothing.

    A mail without a sender we could answer (From header or envelope) is kept unplaced.
    """
    now = utc_now()
    read = await read_off_loop(raw, inbox, envelope_sender, settings.mail_domain)
    if isinstance(read, Unreadable):
        await tickets.keep_unparsed(
            pool,
            channel=Channel.EMAIL,
            provider_id=read.provider_id,
            raw=raw,
            error=read.error,
            now=now,
        )
        return
    await tickets.intake(pool, read, now=now, options=tickets.intake_options(settings))


async def start_smtp_server(pool: Pool, settings: Settings) -> asyncio.Server:
    return await serve_smtp(InboundMailHandler(pool, settings), settings)

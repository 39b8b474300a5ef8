"""The inbound SMTP server: accepts mail for MAIL_DOMAIN only, stores it, hands it to intake.

A message is acknowledged with 250 only after it is committed: placed on a ticket, or kept raw
with its parse error when it cannot be read. A database failure answers 451 so that the
sending server retries later.
"""

from __future__ import annotations

import asyncio
import logging

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


async def deliver(
    pool: Pool, settings: Settings, raw: bytes, inbox: str, envelope_sender: str | None = None
) -> None:
    """Store one message for one of our inboxes; a retry of the same message changes nothing.

    A mail without a sender we could answer (From header or envelope) is kept unplaced.
    """
    now = utc_now()
    try:
        mail = parse_email(raw, envelope_sender)
    except ParseError as exc:
        await tickets.keep_unparsed(
            pool,
            channel=Channel.EMAIL,
            provider_id=provider_id(inbox, fallback_message_id(raw), raw),
            raw=raw,
            error=str(exc),
            now=now,
        )
        return
    contact = to_contact(mail, raw, inbox=inbox, mail_domain=settings.mail_domain)
    await tickets.intake(pool, contact, now=now, options=tickets.intake_options(settings))


async def start_smtp_server(pool: Pool, settings: Settings) -> asyncio.Server:
    return await serve_smtp(InboundMailHandler(pool, settings), settings)

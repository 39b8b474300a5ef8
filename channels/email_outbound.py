"""Outbound mail through the configured SMTP relay, with our threading headers."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate

import aiosmtplib

from contact_center.config import Settings
from contact_center.customers.identities import email_or_none
from contact_center.outbox import (
    AmbiguousSendError,
    OutboundChannel,
    OutboundMessage,
    PermanentSendError,
    ProviderReceipt,
    TransientSendError,
)

# Only these of the stored headers go on the wire; the rest of the message is built here.
PASSED_HEADERS = ("Message-ID", "In-Reply-To", "References", "Reply-To", "Auto-Submitted")
MAX_HEADER_CHARS = 2000


def _header(name: str, value: str) -> str:
    """Refuse CR/LF and over-long values before they reach EmailMessage (header injection)."""
    if "\r" in value or "\n" in value or len(value) > MAX_HEADER_CHARS:
        raise PermanentSendError(f"refusing an unsafe {name} header")
    return value


def valid_address(address: str) -> bool:
    """An address the customer rule accepts (`customers.normalize_email`, which every stored
    address passed): one bare addr-spec, not a display name, not two addresses, not `@domain`."""
    return address == address.strip() and email_or_none(address) is not None


def build_email(message: OutboundMessage, *, default_from: str) -> EmailMessage:
    if not valid_address(message.to_address):
        raise PermanentSendError(
            f"not a valid email address: {message.to_address!r}", code="address"
        )
    mail = EmailMessage()
    mail["From"] = formataddr(
        ("Customer care", _header("From", message.from_address or default_from))
    )
    mail["To"] = _header("To", message.to_address)
    mail["Subject"] = _header("Subject", message.subject)
    mail["Date"] = formatdate(localtime=False)
    for name in PASSED_HEADERS:
        value = message.headers.get(name)
        if value:
            mail[name] = _header(name, str(value))
    if message.automatic:
        # Tell other systems not to auto-answer our automatic mail (RFC 3834, Microsoft).
        mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content(message.body_text)
    return mail


class SmtpSender:
    channel = OutboundChannel.EMAIL

    def __init__(self, settings: Settings, *, timeout: float = 30) -> None:
        self.settings = settings
        self.timeout = timeout

    async def send(self, message: OutboundMessage) -> ProviderReceipt:
        mail = build_email(message, default_from=self.settings.support_address)
        try:
            await aiosmtplib.send(
                mail,
                sender=message.from_address or self.settings.support_address,
                recipients=[message.to_address],
                hostname=self.settings.smtp_host,
                port=self.settings.smtp_port,
                username=self.settings.smtp_user or None,
                password=self.settings.smtp_password.value or None,
                start_tls=self.settings.smtp_starttls,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            codes = [refusal.code for refusal in exc.recipients]
            later = codes and all(code < 500 for code in codes)
            kind = TransientSendError if later else PermanentSendError
            raise kind(f"recipient refused: {exc}", code=str(codes[0]) if codes else None) from exc
        except aiosmtplib.SMTPResponseException as exc:
            kind = PermanentSendError if exc.code >= 500 else TransientSendError
            raise kind(f"SMTP {exc.code}: {exc.message}", code=str(exc.code)) from exc
        except aiosmtplib.SMTPConnectError as exc:
            raise TransientSendError(f"cannot reach the mail relay: {exc}") from exc
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            # The relay may have taken it; a retry carries the same Message-ID.
            raise AmbiguousSendError(f"mail relay did not confirm: {exc!r}") from exc
        return ProviderReceipt(provider_id=str(mail["Message-ID"] or ""))

    async def close(self) -> None:
        return None

"""Threading: which of a customer's tickets a new inbound contact belongs on. Pure."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from contact_center.tickets.model import (
    ACTIVE_STATUSES,
    Channel,
    InboundContact,
    Status,
    TicketCandidate,
)

JOINABLE = (*ACTIVE_STATUSES, Status.RESOLVED)


def choose_ticket(
    contact: InboundContact, candidates: list[TicketCandidate], *, now: datetime, window: timedelta
) -> TicketCandidate | None:
    """The ticket to append to, or None to open a new one, for a contact that names none: the
    most recent active or resolved ticket on the same channel that saw a message within
    `window`. A resolved ticket still waits for the customer's word (a complaint's callback
    and survey come after it), so "it broke again" by SMS goes back on it and reopens it; a
    closed ticket is finished and a new contact opens a new one.
    An email must also carry the subject of that ticket's conversation: a customer starts a
    new conversation by writing about something new, not by waiting a week."""
    key = subject_key(contact.subject) if contact.channel is Channel.EMAIL else ""
    recent = [
        t
        for t in candidates
        if t.channel == contact.channel
        and t.status in JOINABLE
        and now - t.last_message_at <= window
        and (contact.channel is not Channel.EMAIL or (key != "" and t.subject_key == key))
    ]
    return max(recent, key=lambda t: t.last_message_at, default=None)


# Reply and forward prefixes as mailers write them, after NFKC (full-width letters and colons
# become plain ones) and case folding: English, German (AW, WG), Nordic (SV, VS, VL, FS),
# French (TR), Spanish (RV), Portuguese (RES, ENC), Italian (R, RIF, I), Dutch (Antw, Doorst),
# Polish (Odp, PD), Turkish (YNT, İLT), Greek, Chinese, Japanese and Korean. "Re[2]:" and
# "Re(2):" count replies; "[#1234]" is our own ticket tag.
_PREFIXES = (
    "re|fwd?|aw|wg|sv|vs|vl|fs|tr|rv|res|enc|rif|r|i|antw|doorst|odp|pd|ynt|i\u0307lt|ilt"
    "|απ|σχετ|πρθ|回复|回覆|答复|答覆|转发|轉發|转寄|轉寄|返信|転送|회신|답장|전달"
)
_PREFIX = re.compile(rf"^(?:(?:{_PREFIXES})\s*(?:\[\d+\]|\(\d+\))?\s*:\s*)+")
_TAG = re.compile(r"\[[^\[\]]{0,40}#\d{1,12}\]")
MAX_SUBJECT_KEY = 200


def subject_key(subject: str) -> str:
    """What stays of an email subject across replies and forwards, to match a reply that
    names no ticket with its conversation: reply and forward prefixes (repeated, in common
    languages, with full-width colons) and "[#N]" tags removed, whitespace and case folded.
    Empty when nothing is left: an empty subject matches no conversation."""
    folded = unicodedata.normalize("NFKC", subject).casefold()
    previous = None
    while previous != folded:  # a tag may hide a prefix behind it: "[#12] Re: Fwd: lid"
        previous = folded
        folded = _PREFIX.sub("", _TAG.sub(" ", folded).strip())
    return " ".join(folded.split())[:MAX_SUBJECT_KEY]


def follow_reference(
    referenced: TicketCandidate, *, now: datetime, reopen_window: timedelta
) -> TicketCandidate | None:
    """A contact that names a ticket (reply address, Message-ID, "[#1234]") goes onto it, even
    a resolved or closed one, which re-opens. A ticket closed longer ago than `reopen_window`
    stays closed: None means open a new ticket linked to it."""
    if referenced.status is Status.CLOSED and referenced.closed_at is not None:
        if now - referenced.closed_at > reopen_window:
            return None
    return referenced


def status_after_inbound(current: Status) -> Status:
    """A customer writing again makes a waiting or finished ticket open again."""
    return Status.NEW if current is Status.NEW else Status.OPEN


def subject_for(contact: InboundContact, limit: int = 80) -> str:
    if contact.subject.strip():
        return contact.subject.strip()[:limit]
    first_line = next((line.strip() for line in contact.text.splitlines() if line.strip()), "")
    if first_line:
        return first_line if len(first_line) <= limit else first_line[: limit - 1] + "…"
    label = {Channel.VOICE: "Call", Channel.SMS: "SMS", Channel.EMAIL: "Email"}.get(
        contact.channel, "Contact"
    )
    return f"{label} from {contact.display_name or contact.from_address}"

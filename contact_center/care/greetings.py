"""Birthday and holiday greetings: the day's selection, once per occasion, through the outbox."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from contact_center import outbox, site
from contact_center.care import occasions, store
from contact_center.care.model import Address, Greeting, Reachable, Skip
from contact_center.care.texts import greeting_text
from contact_center.db import Conn, Pool, transaction
from contact_center.outbox import NewOutbound, Origin, OutboundPurpose, OutboundRefused

log = logging.getLogger(__name__)
# Why the outbox refused, as a care skip; `no_sender` is the site's gap (callers keep the
# customer for a later run instead of recording a skip).
SKIP_OF_REFUSAL = {"opted_out": Skip.OPTED_OUT, "no_sender": Skip.NO_SENDER}
NO_SENDER_WARNING = (
    "%d %s not sent: they can only be reached by SMS and no SMS number to send from is "
    "configured (set TWILIO_FROM_NUMBER); they stay due for a later run"
)


async def send_one(
    conn: Conn,
    customer: Reachable,
    address: Address,
    *,
    subject: str,
    body: str,
    purpose: OutboundPurpose,
    origin: Origin,
    now: datetime,
) -> UUID | Skip:
    """Queue one care message; a number that sent STOP meanwhile is a visible skip."""
    headers: dict[str, str] = {}
    if address.channel == "email":
        # Chosen before the first attempt, so a repeated delivery is one message to mail
        # clients; marked automatic, so autoresponders do not answer it.
        domain = origin.email_from.rpartition("@")[2] or "localhost"
        headers = {"Message-ID": f"<care.{uuid4()}@{domain}>", "Auto-Submitted": "auto-generated"}
    try:
        queued = await outbox.enqueue(
            conn,
            NewOutbound(
                ticket_id=None,
                message_id=None,
                channel=address.channel,
                to_address=address.to,
                subject=subject if address.channel == "email" else "",
                body_text=body,
                headers=headers,
                automatic=True,
                customer_id=customer.customer_id,
                purpose=purpose,
            ),
            origin=origin,
            now=now,
        )
    except OutboundRefused as refused:
        log.warning("care message to customer %s not sent: %s", customer.customer_id, refused)
        return SKIP_OF_REFUSAL.get(refused.reason, Skip.NO_ADDRESS)
    return queued.outbound_id


async def send_greetings(pool: Pool, *, origin: Origin, now: datetime) -> dict[str, int]:
    """Queue the greetings due today (site day) once the site's clock passed `care.send_hour`.
    Safe to run again and again: each occasion is claimed once per customer. Returns counts."""
    async with transaction(pool) as conn:
        settings = await site.load(conn)
        care = settings.care
        local = now.astimezone(ZoneInfo(settings.timezone))
        if local.hour < int(care["send_hour"]):
            return {"sent": 0, "skipped": 0, "no_sender": 0}
        day = local.date()
        calendar = await site.business_calendar(conn, around=now)
        holiday = occasions.holiday_on(day, calendar.holidays, calendar.labels)
        tags = list(care["holiday_tags"]) if holiday is not None else []
        candidates = await store.list_greeting_candidates(
            conn,
            birthdays=bool(care["birthdays"]),
            days=occasions.birthdays_on(day),
            holiday_tags=tags,
        )
        keys = [f"birthday:{day.year}", f"holiday:{day.isoformat()}"]
        already = await store.sent_occasions(conn, [c.customer_id for c in candidates], keys)
        due = occasions.greetings_due(
            day,
            candidates,
            birthdays=bool(care["birthdays"]),
            holiday=holiday,
            holiday_tags=tags,
            already=already,
        )
        # Without an SMS number, a customer reachable only by SMS is not claimed: the
        # occasion stays open, and a run after the number is configured greets them.
        can_sms = bool(origin.sms_from)
        addressed = [(g, occasions.address_for(g.customer, can_sms=can_sms)) for g in due]
        held = sum(1 for _, address in addressed if address is Skip.NO_SENDER)
        addressed = [(g, a) for g, a in addressed if a is not Skip.NO_SENDER]
        claimed = await store.claim_sends(conn, [_key(g) for g, _ in addressed], now)
        done = [await _greet(conn, g, a, origin, now) for g, a in addressed if _key(g) in claimed]
        await store.finish_sends(conn, done)
    skipped = sum(1 for d in done if d[3] is not None)
    if skipped:
        log.warning("%d greetings of %s not sent (opted out or no address)", skipped, day)
    if held:
        log.warning(NO_SENDER_WARNING, held, f"greetings of {day}")
    return {"sent": len(done) - skipped, "skipped": skipped, "no_sender": held}


def _key(greeting: Greeting) -> tuple[UUID, str]:
    return greeting.customer.customer_id, greeting.occasion


async def _greet(
    conn: Conn, greeting: Greeting, address: Address | Skip, origin: Origin, now: datetime
) -> tuple[UUID, str, UUID | None, str | None]:
    customer = greeting.customer
    if isinstance(address, Skip):
        log.warning(
            "greeting %s to customer %s skipped: %s",
            greeting.occasion,
            customer.customer_id,
            address,
        )
        return customer.customer_id, greeting.occasion, None, str(address)
    subject, body = greeting_text(greeting, occasions.locale_of(customer.language))
    sent = await send_one(
        conn,
        customer,
        address,
        subject=subject,
        body=body,
        purpose=OutboundPurpose.GREETING,
        origin=origin,
        now=now,
    )
    if isinstance(sent, Skip):
        return customer.customer_id, greeting.occasion, None, str(sent)
    return customer.customer_id, greeting.occasion, sent, None

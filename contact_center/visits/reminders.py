"""The day before a visit, at the visit rules' reminder hour (site time), the account's contact
gets an SMS through the outbox, in their language; once per visit, whatever the retries."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from contact_center import customers, i18n, outbox, site
from contact_center.config import Settings
from contact_center.db import Pool, transaction
from contact_center.outbox import NewOutbound, Origin, OutboundPurpose, OutboundRefused
from contact_center.visits import visit_store
from contact_center.visits.plan_input import site_day

log = logging.getLogger(__name__)
BATCH = 500  # visits per transaction; the job loops until none are left


def reminder_text(account: str, day: date, at: datetime | None, zone: ZoneInfo, locale: str) -> str:
    when = at.astimezone(zone).strftime("%H:%M") if at is not None else None
    if when:
        text = i18n.gettext(
            "Reminder: your account manager will visit {account} tomorrow ({day}) at about "
            "{time}. Reply to this message to change it.",
            locale,
        )
    else:
        text = i18n.gettext(
            "Reminder: your account manager will visit {account} tomorrow ({day}). Reply to "
            "this message to change it.",
            locale,
        )
    return text.format(account=account, day=day.isoformat(), time=when or "")


def reminder_due(now: datetime, zone: ZoneInfo, hour: int) -> date | None:
    """The day whose visits are reminded now: tomorrow, once today's reminder hour came."""
    local = now.astimezone(zone)
    if local.time() < time(hour):
        return None
    return local.date() + timedelta(days=1)


async def send_reminders(pool: Pool, settings: Settings, *, now: datetime) -> dict[str, int]:
    """Queue the reminders due now; counts of queued and skipped (by reason)."""
    counts = {"queued": 0, "opted_out": 0, "no_mobile": 0, "refused": 0, "missed_window": 0}
    origin = Origin(sms_from=settings.twilio_from_number, email_from=settings.support_address)
    async with transaction(pool) as conn:
        site_settings = await site.load(conn)
        zone = ZoneInfo(site_settings.timezone)
        late = await visit_store.mark_missed_window(conn, site_day(now, zone), now)
    if late:  # the reminder evening passed without a worker: say so, once per visit
        counts["missed_window"] = len(late)
        log.warning("%d visits got no reminder (missed_window); e.g. visit %s", len(late), late[0])
    day = reminder_due(now, zone, int(site_settings.visit_rules["reminder_hour"]))
    if day is None:
        return counts
    while True:
        async with transaction(pool) as conn:
            rows = await visit_store.reminders_due(conn, day, BATCH)
            if not rows:
                return counts
            contacts = await customers.sms_contacts(
                conn, sorted({r["organization_id"] for r in rows})
            )
            ids: list[UUID] = []
            outbound_ids: list[UUID | None] = []
            skips: list[str | None] = []
            for row in rows:
                contact = contacts.get(row["organization_id"])
                outbound_id, skip = None, None
                if contact is None:
                    skip = "no_mobile"
                elif contact.opted_out:
                    skip = "opted_out"
                else:
                    locale = i18n.supported(contact.language) or "en"
                    try:  # refused before anything is written: no savepoint needed
                        queued = await outbox.enqueue(
                            conn,
                            NewOutbound(
                                ticket_id=None,
                                message_id=None,
                                channel="sms",
                                to_address=contact.mobile,
                                body_text=reminder_text(
                                    row["account_name"], day, row["arrives_at"], zone, locale
                                ),
                                automatic=True,
                                customer_id=contact.customer_id,
                                purpose=OutboundPurpose.VISIT_REMINDER,
                            ),
                            origin=origin,
                            now=now,
                        )
                        outbound_id = queued.outbound_id
                    except OutboundRefused as refused:
                        skip = "opted_out" if refused.reason == "opted_out" else "refused"
                if skip is not None:
                    log.warning("visit %s: no reminder sent (%s)", row["id"], skip)
                counts[skip or "queued"] += 1
                ids.append(row["id"])
                outbound_ids.append(outbound_id)
                skips.append(skip)
            await visit_store.mark_reminded(conn, ids, outbound_ids, skips, now)

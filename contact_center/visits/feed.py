"""A manager's visits as an iCalendar feed (RFC 5545) that calendar apps subscribe to."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from icalendar import Calendar, Event

from contact_center.i18n import gettext as _
from contact_center.visits.views import VisitView

PRODID = "-//contact-center//visits//EN"
UID_DOMAIN = "visits.contact-center"
# RFC 5545 has no status for a visit that was missed: it took its slot, so it is not
# CANCELLED (which apps hide or strike out); it has no STATUS and its summary says "Missed".
STATUS = {
    "planned": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "done": "CONFIRMED",
    "cancelled": "CANCELLED",
}


def reason_text(reason: str) -> str:
    texts = {
        "cadence": _("Regular visit"),
        "complaint_followup": _("Complaint follow-up"),
        "agent": _("Asked for by a colleague"),
        "missed": _("Make-up for a missed visit"),
    }
    return texts.get(reason, reason)


def summary_of(visit: VisitView) -> str:
    if visit.state == "missed":
        return _("Missed: {account}").format(account=visit.account_name)
    return visit.account_name


def calendar_of(name: str, visits: Sequence[VisitView], *, now: datetime) -> bytes:
    """One VEVENT per visit with times (UTC): UID stable per visit, SEQUENCE from its version,
    so an app updates the event in place when the visit moves."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", _("Visits: {name}").format(name=name))
    for visit in visits:
        if visit.arrives_at is None or visit.leaves_at is None:
            continue  # not ordered yet: the next plan gives it times
        event = Event()
        event.add("uid", f"{visit.id}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("dtstart", visit.arrives_at)
        event.add("dtend", visit.leaves_at)
        event.add("summary", summary_of(visit))
        if visit.address:
            event.add("location", visit.address)
        if visit.latitude is not None and visit.longitude is not None:
            event.add("geo", (visit.latitude, visit.longitude))
        # What a calendar needs, no more: outcome notes and next steps stay in the product.
        lines = [reason_text(visit.reason)]
        lines += [t for t in (visit.request_note,) if t]
        event.add("description", "\n".join(lines))
        if visit.state in STATUS:
            event.add("status", STATUS[visit.state])
        event.add("sequence", visit.version - 1)
        event.add("last-modified", visit.updated_at)
        cal.add_component(event)
    ical: bytes = cal.to_ical()
    return ical

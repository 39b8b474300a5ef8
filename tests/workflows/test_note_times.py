"""Times in the notes the workflow writes on tickets are the site's local times, with the zone
named: agents read "due 18:00" as their own clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contact_center import site, tickets
from contact_center.config import Settings
from contact_center.db import Conn
from contact_center.timeutil import site_time_text, utc_now
from contact_center.workflows import Action, actions, deadline_service
from tests.builders import make_customer, make_inbound_sms, make_organization
from tests.conftest import SingleConnectionPool
from tests.workflows.case_helpers import entered, open_case, stored_definition
from tests.workflows.helpers import open_ticket

SHANGHAI = "Asia/Shanghai"


def test_a_site_time_is_written_in_the_sites_zone_with_its_name() -> None:
    moment = datetime(2026, 12, 16, 10, 0, tzinfo=UTC)
    assert site_time_text(moment, SHANGHAI) == "2026-12-16 18:00 Asia/Shanghai"


async def _notes(db: SingleConnectionPool, ticket_id: object) -> list[str]:
    _, messages = await tickets.get_ticket(db, ticket_id)  # type: ignore[arg-type]
    return [m.body_text for m in messages if m.direction == "internal"]


async def test_the_follow_up_visit_note_shows_the_sites_time(
    conn: Conn, db: SingleConnectionPool
) -> None:
    await site.record_environment(db, Settings(site_timezone=SHANGHAI))
    org = await make_organization(db, is_key_account=True)
    customer = await make_customer(db, organization_id=str(org.id))
    result = await tickets.intake(
        db, make_inbound_sms(from_address=customer.phones[0]), now=utc_now()
    )
    ticket, _ = await tickets.get_ticket(db, result.ticket_id)
    definition = await stored_definition(conn)
    case = await open_case(conn, ticket, definition, now=utc_now(), key_account=True)
    resolved_at = datetime(2026, 12, 11, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
    resolved = entered(case, "resolved", resolved_at)
    await actions.run(conn, Action.FOLLOWUP_VISIT, resolved, ticket, definition, now=resolved_at)
    [note] = [n for n in await _notes(db, ticket.id) if "Follow-up visit" in n]
    assert "due by 2026-12-16 10:00 Asia/Shanghai" in note and "UTC" not in note


async def test_the_escalation_note_shows_the_sites_time(db: SingleConnectionPool) -> None:
    await site.record_environment(db, Settings(site_timezone=SHANGHAI))
    ticket = await open_ticket(db, now=utc_now() - timedelta(days=30))
    await deadline_service.scan_deadlines(db, now=utc_now())  # type: ignore[arg-type]
    notes = [n for n in await _notes(db, ticket.id) if n.startswith("Deadline missed")]
    assert notes and all("Asia/Shanghai" in n and "UTC" not in n for n in notes)

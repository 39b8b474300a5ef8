"""What a complaint's intake reads: the site settings once per transaction, and a workflow
definition parsed (schema-validated) once per stored version, not per case or message."""

from __future__ import annotations

import asyncio
from typing import Any

from contact_center import tickets
from contact_center.db import Conn
from contact_center.timeutil import utc_now
from contact_center.workflows import versions
from contact_center.workflows.cases import WORKFLOW
from tests.builders import make_inbound_email
from tests.conftest import SingleConnectionPool


async def _statements(conn: Conn, work: Any) -> list[str]:
    seen: list[str] = []

    def record(query: Any) -> None:
        seen.append(" ".join(query.query.split()))

    conn.add_query_logger(record)
    try:
        await work()
        await asyncio.sleep(0)  # asyncpg calls query loggers with call_soon
    finally:
        conn.remove_query_logger(record)
    return seen


async def test_a_complaint_intake_reads_the_site_settings_once(
    db: SingleConnectionPool, conn: Conn
) -> None:
    contact = make_inbound_email(
        subject="Formal complaint", text="I want to make a formal complaint: the kettle leaks."
    )

    async def intake() -> None:
        placed = await tickets.intake(db, contact, now=utc_now())
        assert placed.ticket_id is not None

    seen = await _statements(conn, intake)
    reads = [q for q in seen if "FROM site_settings" in q]
    assert len(reads) == 1, reads


async def test_a_stored_definition_is_parsed_once_for_every_case_on_it(
    db: SingleConnectionPool, conn: Conn
) -> None:
    now = utc_now()
    first = await versions.current_definition(conn, WORKFLOW, now=now)
    again = await versions.current_definition(conn, WORKFLOW, now=now)
    assert again is first  # the same parsed value: no second schema check
    by_id = await versions.definition_by_id(conn, first.id)
    assert by_id is first

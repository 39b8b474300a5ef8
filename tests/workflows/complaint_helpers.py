"""Complaints made through the product's own entry points, for the workflow tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import tickets, workflows
from contact_center.db import Pool
from tests.builders import make_inbound_email


async def complaint_by_mail(pool: Pool, now: datetime, **overrides: Any) -> UUID:
    """A complaint mailed to the complaints address: its ticket's id."""
    contact = make_inbound_email(
        to_address="complaints@example.com",
        subject="Broken kettle",
        text="The kettle I bought leaks.",
        **overrides,
    )
    result = await tickets.intake(pool, contact, now=now)
    return result.ticket_id


async def case_of(pool: Pool, ticket_id: UUID) -> dict[str, Any]:
    view = await workflows.get_case(pool, ticket_id)
    case: dict[str, Any] = view["case"]
    return case

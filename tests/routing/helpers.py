"""Builders for routing tests: agents that are available, and items for calls and callbacks."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from contact_center import routing
from contact_center.db import Pool, transaction
from contact_center.routing import ItemKind, ItemRequest, Presence, Priority
from contact_center.users import Role, User
from tests.builders import TEST_ACTOR, make_user


async def make_agent(
    pool: Pool, now: datetime, *, role: Role = Role.AGENT, **settings: Any
) -> User:
    user = await make_user(pool, role)
    if settings:
        await routing.update_agent(pool, TEST_ACTOR, user.id, settings, now=now)
    await routing.set_presence(pool, TEST_ACTOR, user.id, Presence.AVAILABLE, "", now=now)
    return user


async def enqueue(
    pool: Pool,
    now: datetime,
    *,
    kind: ItemKind = ItemKind.CALLBACK,
    queue: str = "general",
    priority: Priority = Priority.NORMAL,
    preferred: tuple[UUID, ...] = (),
    subject: UUID | None = None,
) -> tuple[UUID, UUID]:
    """(item id, the call or callback id it is for)."""
    subject = subject or uuid4()
    request = ItemRequest(
        kind=kind,
        queue=queue,
        priority=priority,
        call_id=subject if kind is ItemKind.CALL else None,
        callback_id=subject if kind is ItemKind.CALLBACK else None,
        preferred_agent_ids=preferred,
        summary={"customer_name": "Test Caller"},
    )
    async with transaction(pool) as conn:
        return await routing.enqueue_item(conn, request, now=now), subject

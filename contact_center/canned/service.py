"""Canned reply use cases: supervisors and admins keep them; every agent lists and fills them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit
from contact_center.audit import Actor
from contact_center.canned import store
from contact_center.canned.model import CANNED_FIELDS, CannedChannel, CannedReply
from contact_center.db import Pool, transaction
from contact_center.errors import Invalid


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {k: v for k, v in fields.items() if k in CANNED_FIELDS}
    for name in ("title", "body", "language"):
        if name in cleaned:
            cleaned[name] = str(cleaned[name]).replace("\x00", "").strip()
            if not cleaned[name]:
                raise Invalid(f"a canned reply needs a {name}", field=name)
    if "channel" in cleaned:
        try:
            cleaned["channel"] = CannedChannel(cleaned["channel"])
        except ValueError:
            raise Invalid("channel is any, sms or email", field="channel") from None
    return cleaned


async def create_canned(
    pool: Pool, actor: Actor, fields: dict[str, Any], *, now: datetime
) -> CannedReply:
    """A new canned reply; audited."""
    cleaned = _clean(fields)
    for name in ("title", "body"):
        if name not in cleaned:
            raise Invalid(f"a canned reply needs a {name}", field=name)
    async with transaction(pool) as conn:
        canned = await store.insert_canned(conn, cleaned, author_id=actor.user_id, at=now)
        await audit.record_change(
            conn, actor, "canned_reply", canned.id, "created", after=_card(canned)
        )
        return canned


async def update_canned(
    pool: Pool, actor: Actor, canned_id: UUID, changes: dict[str, Any], *, now: datetime
) -> CannedReply:
    """Change title, body, channel or language; audited with the values before and after."""
    cleaned = _clean(changes)
    async with transaction(pool) as conn:
        before = await store.lock_canned(conn, canned_id)
        after = await store.update_canned(conn, canned_id, {**_card(before), **cleaned}, at=now)
        old, new = audit.changed_fields(_card(before), _card(after))
        if new:
            await audit.record_change(
                conn, actor, "canned_reply", canned_id, "updated", before=old, after=new
            )
        return after


async def delete_canned(pool: Pool, actor: Actor, canned_id: UUID) -> None:
    async with transaction(pool) as conn:
        before = await store.lock_canned(conn, canned_id)
        await store.delete_canned(conn, canned_id)
        await audit.record_change(
            conn, actor, "canned_reply", canned_id, "deleted", before=_card(before)
        )


async def list_canned(
    pool: Pool, *, channel: str | None = None, language: str | None = None, limit: int = 200
) -> list[CannedReply]:
    """Canned replies by language and title; `channel` keeps those for it and for any."""
    async with pool.acquire() as conn:
        return await store.list_canned(conn, channel=channel, language=language, limit=limit)


async def get_canned(pool: Pool, canned_id: UUID) -> CannedReply:
    async with pool.acquire() as conn:
        return await store.get_canned(conn, canned_id)


async def seed_canned(
    pool: Pool, actor: Actor, replies: list[dict[str, Any]], *, now: datetime
) -> int:
    """Add these canned replies when there are none yet (demo data); returns how many."""
    async with transaction(pool) as conn:
        if await store.count_canned(conn):
            return 0
        for fields in replies:
            await store.insert_canned(conn, _clean(fields), author_id=actor.user_id, at=now)
        return len(replies)


def _card(canned: CannedReply) -> dict[str, Any]:
    return {name: getattr(canned, name) for name in CANNED_FIELDS}

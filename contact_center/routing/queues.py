"""Administering queues: list, read, create and change their settings; audited and announced.

There is no deleting a queue, and a queue that tickets, agents or another queue's overflow
name keeps its name (Conflict): tickets would follow a rename silently, agents' lists would not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from contact_center import audit, live
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict
from contact_center.routing import queue_store as store
from contact_center.routing.model import Queue
from contact_center.routing.queue_rules import changed_queue, check_queues, new_queue


def _ticket_kinds() -> Collection[str]:
    # tickets imports routing while it loads (the priority rule, the queue for a kind), so the
    # kinds are looked up when a queue changes, not when this module loads.
    from contact_center.tickets.model import Kind

    return [k.value for k in Kind]


async def queue_for_kind(conn: Conn, kind: str) -> str:
    """The queue a new ticket of this kind lands in: the queue that lists the kind, else the
    default queue."""
    return await store.queue_for_kind(conn, kind)


async def queue_exists(conn: Conn, name: str) -> bool:
    return await store.queue_exists(conn, name)


async def list_queues(pool: Pool) -> list[Queue]:
    async with pool.acquire() as conn:
        return await store.list_queues(conn)


async def read_queue(conn: Conn, name: str) -> Queue:
    """`get_queue` inside the caller's transaction (a call being routed reads its queue's
    hours and wait limit)."""
    return await store.get_queue(conn, name)


async def get_queue(pool: Pool, name: str) -> Queue:
    """The queue of this name; NotFound (field `name`) when there is none."""
    async with pool.acquire() as conn:
        return await store.get_queue(conn, name)


async def create_queue(
    pool: Pool, actor: Actor, fields: Mapping[str, Any], *, now: datetime
) -> Queue:
    """A new queue from `fields` (defaults for the rest). Invalid names the field that breaks
    a rule (see queue_rules), Conflict when the name is taken. A new default queue takes the
    flag from the old one."""
    queue = new_queue(fields, ticket_kinds=_ticket_kinds())
    async with transaction(pool) as conn:
        await store.lock_queues(conn)
        others = await store.list_queues(conn)
        if any(q.name == queue.name for q in others):
            raise Conflict(f"a queue named {queue.name} exists", field="name")
        check_queues([*_without_default(others, queue), queue])
        moved = await store.clear_default(conn, keep=queue.name) if queue.is_default else []
        await store.insert_queue(conn, queue)
        await audit.record_change(
            conn, actor, "queue", queue.name, "created", after=_fields(queue), at=now
        )
        await live.publish(conn, live.Event.QUEUE_UPDATED, {"queue": queue.name})
        await _record_moved_default(conn, actor, moved, now)
        return queue


async def update_queue(
    pool: Pool, actor: Actor, name: str, changes: Mapping[str, Any], *, now: datetime
) -> Queue:
    """Apply `changes` to the queue `name`. NotFound when there is no such queue; Invalid as
    for `create_queue`; Conflict for a new name that is taken, or for renaming a queue that
    tickets, agents or an overflow refer to. Changing nothing writes nothing."""
    async with transaction(pool) as conn:
        await store.lock_queues(conn)
        before = await store.get_queue(conn, name)
        after = changed_queue(before, changes, ticket_kinds=_ticket_kinds())
        if after == before:
            return before
        others = [q for q in await store.list_queues(conn) if q.name != name]
        if after.name != name:
            await _check_rename(conn, name, after.name, others)
        check_queues([*_without_default(others, after), after])
        moved = []
        if after.is_default and not before.is_default:
            moved = await store.clear_default(conn, keep=name)
        await store.update_queue(conn, name, after)
        old, new = audit.changed_fields(_fields(before), _fields(after))
        await audit.record_change(
            conn, actor, "queue", after.name, "updated", before=old, after=new, at=now
        )
        payload = {"queue": after.name} | ({"renamed_from": name} if after.name != name else {})
        await live.publish(conn, live.Event.QUEUE_UPDATED, payload)
        await _record_moved_default(conn, actor, moved, now)
        return after


async def _check_rename(conn: Conn, old: str, new: str, others: list[Queue]) -> None:
    if any(q.name == new for q in others):
        raise Conflict(f"a queue named {new} exists", field="name")
    refs = await store.count_references(conn, old)
    if any(refs.values()):
        raise Conflict(
            f"queue {old} keeps its name: {refs['tickets']} tickets, {refs['users']} agents and "
            f"{refs['overflows']} queues (overflow) refer to it; change its label instead",
            field="name",
        )


def _without_default(queues: list[Queue], changed: Queue) -> list[Queue]:
    """The other queues as they will be: a queue made the default takes the flag from them."""
    if not changed.is_default:
        return queues
    return [dataclasses.replace(q, is_default=False) for q in queues]


def _fields(queue: Queue) -> dict[str, Any]:
    return dataclasses.asdict(queue)


async def _record_moved_default(conn: Conn, actor: Actor, moved: list[str], now: datetime) -> None:
    for name in moved:
        await audit.record_change(
            conn,
            actor,
            "queue",
            name,
            "updated",
            before={"is_default": True},
            after={"is_default": False},
            at=now,
        )
        await live.publish(conn, live.Event.QUEUE_UPDATED, {"queue": name})

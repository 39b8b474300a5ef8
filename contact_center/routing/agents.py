"""Agents: presence, skills and capacity, and the offer an agent has in front of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import audit, live
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Invalid
from contact_center.live import Event
from contact_center.routing import offer_store, store
from contact_center.routing.items import release
from contact_center.routing.model import (
    DEFAULT_OPTIONS,
    Agent,
    ItemState,
    Offer,
    Presence,
    RoutingOptions,
    WorkItem,
)

SETTINGS = ("skills", "voice_capacity", "messaging_capacity", "phone", "client_identity")
MAX_CAPACITY = 100
ATTEMPTS = 5  # presence changes racing new offers before giving up


async def get_agent(
    pool: Pool, user_id: UUID, *, now: datetime, options: RoutingOptions = DEFAULT_OPTIONS
) -> Agent:
    """The agent's state; a user routing has not met yet starts offline."""
    async with transaction(pool) as conn:
        await store.ensure_agent(conn, user_id, now=now)
        return await store.get_agent(conn, user_id, today=options.today(now))


async def _withdraw_pending(conn: Conn, user_id: UUID, *, now: datetime) -> None:
    """An agent leaving `available` gives back the offer in front of them (it waits again)."""
    item_id = await offer_store.pending_offer_item(conn, user_id)
    if item_id is None:
        return
    item = await store.lock_item(conn, item_id)
    if item.state is not ItemState.OFFERED:
        return
    offer = await offer_store.lock_pending_offer(conn, item.id)
    if offer is None or offer.user_id != user_id:
        return
    _agent, events = await release(conn, item, now=now)
    await store.set_item_state(conn, item.id, ItemState.WAITING)
    await live.publish_many(conn, events)


async def set_presence(
    pool: Pool,
    actor: Actor,
    user_id: UUID,
    presence: Presence,
    reason: str,
    *,
    now: datetime,
    options: RoutingOptions = DEFAULT_OPTIONS,
) -> Agent:
    """Set an agent available, busy, away or offline (with a reason); audited and announced.
    Leaving `available` withdraws a pending offer; coming back starts the idle time."""
    reason = reason.strip()[:200]
    for _ in range(ATTEMPTS):
        try:
            return await _set_presence(
                pool, actor, user_id, presence, reason, now=now, options=options
            )
        except _OfferedMeanwhile:
            continue  # withdraw the new offer too, in the lock order
    raise Conflict("offers kept arriving while leaving; try again", field="presence")


class _OfferedMeanwhile(Exception):
    """A dispatch round offered the agent something between the withdrawal and the agent's
    row lock (it held the row and committed)."""


async def _set_presence(
    pool: Pool,
    actor: Actor,
    user_id: UUID,
    presence: Presence,
    reason: str,
    *,
    now: datetime,
    options: RoutingOptions,
) -> Agent:
    async with transaction(pool) as conn:
        await store.ensure_agent(conn, user_id, now=now)
        leaving = presence is not Presence.AVAILABLE
        if leaving:
            await _withdraw_pending(conn, user_id, now=now)
        before = await store.get_agent(conn, user_id, today=options.today(now), lock=True)
        # Withdrawing now would lock the item after the agent, against the lock order: start
        # again instead (rolled back), which withdraws it first.
        if leaving and await offer_store.pending_offer_item(conn, user_id) is not None:
            raise _OfferedMeanwhile
        await store.update_presence(conn, user_id, presence, reason, now=now)
        after = await store.get_agent(conn, user_id, today=options.today(now))
        if (before.presence, before.reason) != (after.presence, after.reason):
            await audit.record_change(
                conn,
                actor,
                "agent",
                user_id,
                "presence",
                before={"presence": before.presence, "reason": before.reason},
                after={"presence": after.presence, "reason": after.reason},
                at=now,
            )
            await live.publish(conn, Event.AGENT_UPDATED, after.state())
            await store.notify_dispatchers(conn)
        return after


def check_settings(changes: dict[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in SETTINGS:
            raise Invalid("not a setting of an agent", field=name)
        if name == "skills":
            if not isinstance(value, list) or not all(isinstance(s, str) for s in value):
                raise Invalid("must be a list of text", field=name)
            checked[name] = sorted({s.strip().lower() for s in value if s.strip()})
        elif name.endswith("_capacity"):
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # JSON has one number type: 3.0 is the integer 3
            if isinstance(value, bool) or not isinstance(value, int):
                raise Invalid("must be a whole number", field=name)
            if not 0 <= value <= MAX_CAPACITY:
                raise Invalid(f"must be between 0 and {MAX_CAPACITY}", field=name)
            checked[name] = value
        elif not isinstance(value, str):
            raise Invalid("must be text", field=name)
        else:
            checked[name] = value.strip()
    return checked


async def update_agent(
    pool: Pool,
    actor: Actor,
    user_id: UUID,
    changes: dict[str, Any],
    *,
    now: datetime,
    options: RoutingOptions = DEFAULT_OPTIONS,
) -> Agent:
    """Change an agent's skills, capacities, phone or voice client identity; audited. A
    capacity lowered below the current load lets the load drain: nothing new is offered."""
    checked = check_settings(changes)
    async with transaction(pool) as conn:
        await store.ensure_agent(conn, user_id, now=now)
        before = await store.get_agent(conn, user_id, today=options.today(now), lock=True)
        await store.update_agent_settings(conn, user_id, checked)
        after = await store.get_agent(conn, user_id, today=options.today(now))
        old = {k: getattr(before, k) for k in checked}
        new = {k: getattr(after, k) for k in checked}
        old, new = audit.changed_fields(old, new)
        if new:
            await audit.record_change(
                conn, actor, "agent", user_id, "updated", before=old, after=new, at=now
            )
            await live.publish(conn, Event.AGENT_UPDATED, after.state())
            await store.notify_dispatchers(conn)
        return after


@dataclass(frozen=True)
class OfferView:
    offer: Offer
    item: WorkItem


async def current_offer(pool: Pool, user_id: UUID) -> OfferView | None:
    """The offer waiting for this agent's answer, if any."""
    async with transaction(pool) as conn:
        found = await offer_store.current_offer(conn, user_id)
        return OfferView(*found) if found is not None else None

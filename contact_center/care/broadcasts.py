"""Broadcasts: a message to a segment, previewed, then sent at the care rate by a task that
queues itself again; and the customer's "no care messages" flag."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from contact_center import audit, live, site
from contact_center.audit import Actor
from contact_center.care import broadcast_store as store
from contact_center.care import occasions
from contact_center.care import store as people
from contact_center.care.greetings import NO_SENDER_WARNING, send_one
from contact_center.care.model import Broadcast, BroadcastState, Preview, Segment, Skip
from contact_center.care.texts import broadcast_subject, broadcast_subjects, broadcast_text
from contact_center.db import Pool, transaction
from contact_center.errors import Conflict
from contact_center.jobs import enqueue_job
from contact_center.live import Event
from contact_center.outbox import Origin, OutboundPurpose

log = logging.getLogger(__name__)

BROADCAST_TASK = "broadcast-send"
BATCH_EVERY = timedelta(minutes=1)  # `care.rate_per_minute` messages per batch, one a minute
STALLED = timedelta(minutes=3)  # a sending broadcast with no batch for this long is woken
HELD_RETRY = timedelta(minutes=15)  # a broadcast waiting for an SMS number looks again


async def preview(
    pool: Pool, segment: Segment, channel: str | None = None, *, can_sms: bool = True
) -> Preview:
    """How many customers the segment holds and how many of them a message would reach;
    `no_sender`: those only SMS reaches while the site has no SMS number (not their fault)."""
    async with pool.acquire() as conn:
        found = await people.list_in_segment(conn, segment)
    results = [occasions.address_for(c, channel, can_sms=can_sms) for c in found]
    stopped = sum(1 for r in results if r is Skip.OPTED_OUT)
    unwanted = sum(1 for r in results if r is Skip.CARE_OPTED_OUT)
    missing = sum(1 for r in results if r is Skip.NO_ADDRESS)
    held = sum(1 for r in results if r is Skip.NO_SENDER)
    reachable = len(found) - stopped - unwanted - missing - held
    return Preview(len(found), reachable, stopped, missing, held, unwanted)


async def start_broadcast(
    pool: Pool,
    actor: Actor,
    *,
    name: str,
    segment: Segment,
    body_en: str,
    body_zh: str,
    channel: str | None,
    now: datetime,
    subject_en: str = "",
    subject_zh: str = "",
) -> Broadcast:
    """Fix the recipients (the segment as it is now) and queue the first batch. The email
    subjects not given come from the first line of the text (`texts.broadcast_subjects`)."""
    subject_en, subject_zh = broadcast_subjects(subject_en, subject_zh, body_en, body_zh)
    async with transaction(pool) as conn:
        recipients = [c.customer_id for c in await people.list_in_segment(conn, segment)]
        made = await store.insert_broadcast(
            conn,
            name=name,
            segment=segment,
            body_en=body_en,
            body_zh=body_zh,
            subject_en=subject_en,
            subject_zh=subject_zh,
            channel=channel,
            created_by=actor.user_id,
            at=now,
            recipients=recipients,
        )
        after = {
            "name": name,
            "segment": segment.as_json(),
            "channel": channel,
            "subject_en": subject_en,
            "subject_zh": subject_zh,
            "recipients": len(recipients),
        }
        await audit.record_change(conn, actor, "broadcast", made.id, "created", after=after, at=now)
        await enqueue_job(conn, BROADCAST_TASK, str(made.id), dedupe_key=f"broadcast:{made.id}")
        made = await _with_figures(conn, made)
        await live.publish(conn, Event.BROADCAST_UPDATED, _event(made))
    return made


async def send_batch(pool: Pool, broadcast_id: UUID, *, origin: Origin, now: datetime) -> str:
    """Send the next batch of a broadcast, at most `care.rate_per_minute` messages a minute
    across all broadcasts, then queue the next batch a minute later. Each recipient is marked
    handled in the transaction that queues its message, so a restart or a second run never
    sends twice to one customer."""
    async with transaction(pool) as conn:
        broadcast = await store.get_broadcast(conn, broadcast_id, lock=True)
        if broadcast.state is not BroadcastState.SENDING:
            return f"broadcast {broadcast_id} is {broadcast.state}"
        if broadcast.next_batch_at > now:
            await _queue_next(conn, broadcast.id, broadcast.next_batch_at, now)
            return "not due yet"
        # The rate is the site's, shared by every broadcast: batches take turns (a lock held
        # to commit) and count what all broadcasts queued in the last minute.
        rate = int((await site.load(conn)).care["rate_per_minute"])
        await store.lock_sending(conn)
        room = max(rate - await store.count_queued_since(conn, now - BATCH_EVERY), 0)
        can_sms = bool(origin.sms_from)
        ids = (
            await store.claim_recipients(conn, broadcast.id, room, with_held=can_sms)
            if room
            else []
        )
        done: list[tuple[UUID, UUID | None, str | None]] = []
        held: list[UUID] = []  # only SMS reaches them and there is no SMS number: they wait
        for customer in await people.list_by_ids(conn, ids):
            address = occasions.address_for(customer, broadcast.channel, can_sms=can_sms)
            if address is Skip.NO_SENDER:
                held.append(customer.customer_id)
                continue
            if isinstance(address, Skip):
                done.append((customer.customer_id, None, str(address)))
                continue
            locale = occasions.locale_of(customer.language)
            body = broadcast_text(broadcast, locale)
            sent = await send_one(
                conn,
                customer,
                address,
                subject=broadcast_subject(broadcast, locale),
                body=body,
                purpose=OutboundPurpose.BROADCAST,
                origin=origin,
                now=now,
            )
            if sent is Skip.NO_SENDER:
                held.append(customer.customer_id)
                continue
            if isinstance(sent, Skip):
                done.append((customer.customer_id, None, str(sent)))
            else:
                done.append((customer.customer_id, sent, None))
        gone = set(ids) - {d[0] for d in done} - set(held)  # merged away or deleted since
        done.extend((c, None, str(Skip.NO_ADDRESS)) for c in sorted(gone))
        await store.finish_recipients(conn, broadcast.id, done, now)
        if held:
            await store.hold_recipients(conn, broadcast.id, held, str(Skip.NO_SENDER))
            log.warning(NO_SENDER_WARNING, len(held), f"messages of broadcast {broadcast.id}")
        skipped = sum(1 for d in done if d[2] is not None)
        if skipped:
            log.warning(
                "broadcast %s: %d recipients skipped (opted out or no address)",
                broadcast.id,
                skipped,
            )
        if await store.count_waiting(conn, broadcast.id, with_held=can_sms):
            following = now + BATCH_EVERY
            await store.set_broadcast_state(
                conn, broadcast.id, BroadcastState.SENDING, next_batch_at=following, at=now
            )
            await _queue_next(conn, broadcast.id, following, now)
        elif await store.count_waiting(conn, broadcast.id, with_held=True):
            # Only recipients waiting for an SMS number are left: the broadcast stays open
            # (its figures say so) and looks again now and then; it finishes once sent.
            following = now + HELD_RETRY
            await store.set_broadcast_state(
                conn, broadcast.id, BroadcastState.SENDING, next_batch_at=following, at=now
            )
            await _queue_next(conn, broadcast.id, following, now)
        else:
            await store.set_broadcast_state(
                conn, broadcast.id, BroadcastState.DONE, next_batch_at=now, at=now
            )
        current = await _with_figures(conn, await store.get_broadcast(conn, broadcast.id))
        await live.publish(conn, Event.BROADCAST_UPDATED, _event(current))
    return f"{len(done)} handled, {skipped} skipped"


async def wake_stalled(pool: Pool, *, now: datetime) -> int:
    """Queue the next batch of sending broadcasts whose task was lost (a worker killed between
    taking the job and finishing it); the batch itself decides whether it is due."""
    async with transaction(pool) as conn:
        stalled = await store.list_stalled(conn, now - STALLED)
        for broadcast_id, due in stalled:
            await _queue_next(conn, broadcast_id, due, now, reason="wake")
    return len(stalled)


async def cancel_broadcast(
    pool: Pool, actor: Actor, broadcast_id: UUID, *, now: datetime
) -> Broadcast:
    """Stop a sending broadcast: those not yet sent to are skipped as cancelled; messages
    already queued go on."""
    async with transaction(pool) as conn:
        broadcast = await store.get_broadcast(conn, broadcast_id, lock=True)
        if broadcast.state is not BroadcastState.SENDING:
            raise Conflict(f"the broadcast is already {broadcast.state}")
        await store.cancel_waiting(conn, broadcast_id, now)
        await store.set_broadcast_state(
            conn, broadcast_id, BroadcastState.CANCELLED, next_batch_at=now, at=now
        )
        await audit.record_change(
            conn,
            actor,
            "broadcast",
            broadcast_id,
            "cancelled",
            before={"state": "sending"},
            after={"state": "cancelled"},
            at=now,
        )
        current = await _with_figures(conn, await store.get_broadcast(conn, broadcast_id))
        await live.publish(conn, Event.BROADCAST_UPDATED, _event(current))
    return current


async def segment_choices(pool: Pool) -> dict[str, list[str]]:
    """The route territories and tags in use, for the broadcast form's pickers."""
    async with pool.acquire() as conn:
        return await people.segment_choices(conn)


async def list_broadcasts(pool: Pool, *, limit: int = 50) -> list[Broadcast]:
    async with pool.acquire() as conn:
        found = await store.list_broadcasts(conn, limit=limit)
        counts = await store.figures(conn, [b.id for b in found])
    return [replace(b, figures=_figures(counts.get(b.id))) for b in found]


async def get_broadcast(pool: Pool, broadcast_id: UUID) -> Broadcast:
    async with pool.acquire() as conn:
        return await _with_figures(conn, await store.get_broadcast(conn, broadcast_id))


async def _queue_next(
    conn: Any, broadcast_id: UUID, due: datetime, now: datetime, reason: str = "batch"
) -> None:
    # The key names the batch's time: a new key for each batch (the running job's own key
    # would make it a silent no-op), the same key for a repeated ask about the same batch.
    await enqueue_job(
        conn,
        BROADCAST_TASK,
        str(broadcast_id),
        after=max(due - now, timedelta(0)),
        dedupe_key=f"broadcast:{broadcast_id}:{reason}:{due.timestamp()}",
    )


async def _with_figures(conn: Any, broadcast: Broadcast) -> Broadcast:
    counts = await store.figures(conn, [broadcast.id])
    return replace(broadcast, figures=_figures(counts.get(broadcast.id)))


def _figures(counts: dict[str, int] | None) -> dict[str, Any]:
    c = counts or {}
    return {
        "total": c.get("total", 0),
        "waiting": c.get("waiting", 0),
        "queued": c.get("queued", 0),
        "sent": c.get("sent", 0),
        "delivered": c.get("delivered", 0),
        "failed": c.get("failed", 0),
        "needs_review": c.get("needs_review", 0),
        "withdrawn": c.get("withdrawn", 0),
        "no_sender": c.get("no_sender", 0),
        "skipped": {
            reason: c.get(reason, 0)
            for reason in ("opted_out", "care_opted_out", "no_address", "cancelled")
        },
    }


def _event(broadcast: Broadcast) -> dict[str, Any]:
    return {"broadcast_id": broadcast.id, "state": broadcast.state, "figures": broadcast.figures}

"""The daily lifecycle job: every account's stage from its activity, written set-based through
customers, kept as history, with a reactivation task for each key account that went dormant
(closed by itself once the account is active again)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from contact_center import audit, customers, live, site, tickets, visits
from contact_center.accounts import health_store, lifecycle, task_store
from contact_center.accounts.lifecycle import AccountActivity, StageChange
from contact_center.accounts.model import TaskKind, TaskState
from contact_center.accounts.tasks import AUDIT_ENTITY
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.live import Event

log = logging.getLogger(__name__)
LIFECYCLE_ACTOR = Actor.system("lifecycle")
REACTIVATE_WITHIN = timedelta(days=7)  # a reactivation task is due a week after it opens


@dataclass(frozen=True)
class StageRun:
    day: date
    accounts: int
    changed: int
    reactivations_opened: int
    reactivations_closed: int


async def run_stages(pool: Pool, *, now: datetime) -> StageRun:
    """One pass over every account in one transaction."""
    async with transaction(pool) as conn:
        settings = await site.load(conn)
        today = now.astimezone(ZoneInfo(settings.timezone)).date()
        activity = await _activity(conn, now=now, today=today, zone=ZoneInfo(settings.timezone))
        changes = lifecycle.stage_changes(
            activity,
            today=today,
            dormant_days=int(settings.lifecycle["dormant_days"]),
            lost_days=int(settings.lifecycle["lost_days"]),
        )
        written = await customers.set_lifecycle_stages(
            conn, LIFECYCLE_ACTOR, {c.organization_id: c.after for c in changes}, now=now
        )
        kept = [c for c in changes if c.organization_id in written]
        await health_store.insert_changes(
            conn,
            [(c.organization_id, c.before.value, c.after.value, c.last_activity_on) for c in kept],
            now,
        )
        opened = await _open_reactivations(conn, kept, now=now)
        closed = await _close_reactivations(conn, kept, now=now)
    result = StageRun(today, len(activity), len(kept), opened, closed)
    log.info("lifecycle stages: %s", result)
    return result


async def _activity(
    conn: Conn, *, now: datetime, today: date, zone: ZoneInfo
) -> list[AccountActivity]:
    facts = {
        row["organization_id"]: row
        for row in await health_store.value_facts(
            conn, window_from=today, year_from=today, today=today
        )
    }
    contacts = await tickets.contacts_by_account(
        conn, since=datetime.combine(today, datetime.min.time(), zone), until=now
    )
    visited = await visits.last_done_by_account(conn, until=today)
    found = []
    for account in await customers.account_stages(conn):
        org = account.organization_id
        fact = facts.get(org)
        contact = contacts.get(org)
        found.append(
            AccountActivity(
                organization_id=org,
                stage=account.stage,
                ever_ordered=fact is not None and fact["last_order_on"] is not None,
                last_activity_on=lifecycle.latest(
                    fact["last_order_on"] if fact else None,
                    contact.last_contact_at.astimezone(zone).date() if contact else None,
                    visited.get(org),
                ),
                is_key_account=account.is_key_account,
                account_manager_id=account.account_manager_id,
            )
        )
    return found


async def _open_reactivations(conn: Conn, changes: list[StageChange], *, now: datetime) -> int:
    wanted = [c for c in changes if c.became_dormant and c.is_key_account]
    for change in wanted:
        if change.account_manager_id is None:
            log.warning(
                "key account %s went dormant with no account manager: its reactivation task"
                " waits unassigned for a supervisor",
                change.organization_id,
            )
    created = await task_store.insert_open_many(
        conn,
        [
            (c.organization_id, c.account_manager_id, f"last activity {c.last_activity_on}")
            for c in wanted
        ],
        TaskKind.REACTIVATE,
        due_at=now + REACTIVATE_WITHIN,
        now=now,
    )
    opened = [(t.id, t.organization_id, t.assignee_id) for t in created]
    await _announce(conn, opened, "created", TaskState.OPEN, now=now)
    return len(opened)


async def _close_reactivations(conn: Conn, changes: list[StageChange], *, now: datetime) -> int:
    active = [c.organization_id for c in changes if c.became_active]
    closed = await task_store.close_open_many(conn, active, TaskKind.REACTIVATE, now)
    await _announce(conn, closed, TaskState.DONE.value, TaskState.DONE, now=now)
    return len(closed)


async def _announce(
    conn: Conn,
    tasks: list[tuple[UUID, UUID, UUID | None]],
    action: str,
    state: TaskState,
    *,
    now: datetime,
) -> None:
    await audit.record_changes(
        conn,
        LIFECYCLE_ACTOR,
        AUDIT_ENTITY,
        [
            (task, action, {"organization_id": org, "kind": TaskKind.REACTIVATE, "state": state})
            for task, org, _ in tasks
        ],
        at=now,
    )
    await live.publish_many(
        conn,
        [
            (
                Event.ACCOUNT_TASK,
                {
                    "task_id": task,
                    "organization_id": org,
                    "kind": TaskKind.REACTIVATE,
                    "state": state,
                    "assignee_id": assignee,
                },
            )
            for task, org, assignee in tasks
        ],
    )

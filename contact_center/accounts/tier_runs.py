"""Tier runs, overrides and the key-account flag: every move up or down is written to the
organization (through customers), kept as history with its reason, audited and announced; an
account that becomes a key account without a manager gets an assignment task."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID
from zoneinfo import ZoneInfo

from contact_center import audit, customers, live, site
from contact_center.accounts import store, task_store, tasks, tiering
from contact_center.accounts.model import AccountTask, TaskKind, TaskState
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Forbidden, Invalid, NotFound
from contact_center.live import Event

CUT_OFF = "cut-off"
NO_VALUE = "no value in window"
OVERRIDE_REMOVED = "override removed"
ASSIGN_DUE = timedelta(days=2)  # a supervisor names the manager of a new key account soon
SCHEDULE = Actor.system("tiering")


@dataclass(frozen=True)
class RunReport:
    run_id: UUID
    accounts: int  # accounts with value in the window
    moved: int  # accounts whose tier changed
    new_key_accounts: int
    assignment_tasks: int
    window_from: date
    window_to: date


def window_of(today: date, months: int) -> tuple[date, date]:
    """The value window: the last `months` months up to and including `today`."""
    month = today.year * 12 + today.month - 1 - months
    year, month0 = divmod(month, 12)
    last_day = (date(year + (month0 + 1) // 12, (month0 + 1) % 12 + 1, 1) - timedelta(days=1)).day
    start = date(year, month0 + 1, min(today.day, last_day))
    return start + timedelta(days=1), today


def tier_window(settings: site.SiteSettings, now: datetime) -> tuple[date, date]:
    """The window a run at `now` tiers on: `tiering.months` up to the site's today."""
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    return window_of(today, int(settings.tiering["months"]))


async def run_tiers(pool: Pool, actor: Actor, *, trigger: str, now: datetime) -> RunReport:
    """Re-tier every account with value in the window; overrides win. An account an earlier
    run tiered that has no positive value in the window now goes to C ("no value in window");
    one that never had value keeps whatever tier a person gave it."""
    async with transaction(pool) as conn:
        await store.lock_runs(conn)
        settings = await site.load(conn)
        rules = settings.tiering
        since, until = tier_window(settings, now)
        values = await store.value_totals(conn, since, until)
        placed = tiering.classify(values, a_share=rules["a_share"], b_share=rules["b_share"])
        lapsed = await store.tiered_before(conn) - set(placed)
        placed.update(
            {o: tiering.Placement(o, "C", Decimal(0), Decimal(1)) for o in sorted(lapsed, key=str)}
        )
        overrides = await store.overridden(conn)
        run_id = await store.insert_run(
            conn,
            trigger=trigger,
            actor_id=actor.user_id,
            window_from=since,
            window_to=until,
            a_share=Decimal(str(rules["a_share"])),
            b_share=Decimal(str(rules["b_share"])),
            accounts=len(placed) - len(lapsed),
            moved=0,
            ran_at=now,
        )
        await store.insert_results(
            conn,
            run_id,
            [(p.organization_id, p.tier, p.value, p.share_before) for p in placed.values()],
        )
        await store.set_computed(conn, run_id, {o: p.tier for o, p in placed.items()})
        wanted = {o: p.tier for o, p in placed.items() if o not in overrides}
        wanted.update({o: s["override_tier"] for o, s in overrides.items()})
        reasons = {o: CUT_OFF if p.value > 0 else NO_VALUE for o, p in placed.items()}
        reasons.update({o: f"override: {s['override_reason']}" for o, s in overrides.items()})
        moved, keys, assigned = await apply_tiers(
            conn, actor, wanted, reasons, run_id=run_id, now=now
        )
        await store.set_run_moved(conn, run_id, moved)
        await audit.record_change(
            conn,
            actor,
            "tier_run",
            run_id,
            "ran",
            after={"trigger": trigger, "accounts": len(placed) - len(lapsed), "moved": moved},
            at=now,
        )
        return RunReport(run_id, len(placed) - len(lapsed), moved, keys, assigned, since, until)


async def run_if_due(pool: Pool, *, now: datetime) -> RunReport | None:
    """The scheduled run, when `tiering.every` says one is due on the site's day."""
    async with pool.acquire() as conn:
        settings = await site.load(conn)
        last = await store.last_scheduled_at(conn)
    zone = ZoneInfo(settings.timezone)
    last_day = last.astimezone(zone).date() if last else None
    if not tiering.run_due(settings.tiering["every"], last_day, now.astimezone(zone).date()):
        return None
    return await run_tiers(pool, SCHEDULE, trigger="scheduled", now=now)


async def apply_tiers(
    conn: Conn,
    actor: Actor,
    wanted: Mapping[UUID, str | None],
    reasons: dict[UUID, str],
    *,
    run_id: UUID | None,
    now: datetime,
) -> tuple[int, int, int]:
    """Write the wanted tiers (and the key flag they imply); returns (moved, new key accounts,
    assignment tasks opened)."""
    facts = await customers.account_facts(conn, list(wanted))
    hand = await store.hand_flagged(conn)
    targets = {
        o: (
            tier,
            tiering.key_account_after(
                tier=tier, was_tier=f.tier, was_key=f.is_key_account, by_hand=o in hand
            ),
        )
        for o, tier in wanted.items()
        if (f := facts.get(o)) is not None
    }
    changes = await customers.set_account_tiers(conn, actor, targets, now=now)
    moves = [c for c in changes if c.old_tier != c.new_tier]
    await store.insert_moves(
        conn,
        [(c.organization_id, c.old_tier, c.new_tier, reasons[c.organization_id]) for c in moves],
        run_id=run_id,
        actor_id=actor.user_id,
        at=now,
    )
    await live.publish_many(
        conn,
        [
            (
                Event.TIER_CHANGED,
                {
                    "organization_id": c.organization_id,
                    "from_tier": c.old_tier,
                    "to_tier": c.new_tier,
                    "is_key_account": c.is_key,
                    "reason": reasons[c.organization_id],
                    "account_manager_id": c.account_manager_id,
                },
            )
            for c in changes
        ],
    )
    new_keys = [c for c in changes if c.is_key and not c.was_key]
    opened = await tasks.open_unassigned_tasks(
        conn,
        actor,
        organization_ids=[c.organization_id for c in new_keys if c.account_manager_id is None],
        kind=TaskKind.ASSIGN_MANAGER,
        due_at=now + ASSIGN_DUE,
        note="",
        now=now,
    )
    return len(moves), len(new_keys), len(opened)


async def set_override(
    pool: Pool, actor: Actor, org_id: UUID, *, tier: str, reason: str, now: datetime
) -> None:
    """A person's tier for the account: it wins over every later run until removed."""
    async with transaction(pool) as conn:
        await override_in(conn, actor, org_id, tier=tier, reason=reason, now=now)


async def override_in(
    conn: Conn, actor: Actor, org_id: UUID, *, tier: str, reason: str, now: datetime
) -> None:
    """`set_override` inside the caller's transaction (a card edit that changes the tier)."""
    if tier not in tiering.TIER_ORDER:
        raise Invalid("tier must be A, B or C", field="tier")
    reason = reason.strip()
    if not reason:
        raise Invalid("say why the tier is overridden", field="reason")
    await store.lock_runs(conn)  # a run in progress must not write over the override
    await store.set_override(conn, org_id, tier, reason, actor.user_id, now)
    await audit.record_change(
        conn,
        actor,
        "tier_override",
        org_id,
        "set",
        after={"tier": tier, "reason": reason},
        at=now,
    )
    await apply_tiers(
        conn, actor, {org_id: tier}, {org_id: f"override: {reason}"}, run_id=None, now=now
    )


async def remove_override(pool: Pool, actor: Actor, org_id: UUID, *, now: datetime) -> None:
    """Back to the computed tier (none computed yet: the tier stays as it is)."""
    async with transaction(pool) as conn:
        await remove_override_in(conn, actor, org_id, now=now)


async def remove_override_in(conn: Conn, actor: Actor, org_id: UUID, *, now: datetime) -> None:
    """`remove_override` inside the caller's transaction (a card edit that clears the tier)."""
    await store.lock_runs(conn)
    state = (await store.states(conn, [org_id])).get(org_id)
    if state is None or state["override_tier"] is None:
        return
    await store.set_override(conn, org_id, None, "", None, None)
    await audit.record_change(
        conn,
        actor,
        "tier_override",
        org_id,
        "removed",
        before={"tier": state["override_tier"], "reason": state["override_reason"]},
        at=now,
    )
    if state["computed_tier"] is not None:
        await apply_tiers(
            conn,
            actor,
            {org_id: state["computed_tier"]},
            {org_id: OVERRIDE_REMOVED},
            run_id=None,
            now=now,
        )


async def finish_task(
    pool: Pool, actor: Actor, task_id: UUID, *, user_id: UUID, overseer: bool, now: datetime
) -> AccountTask:
    """Mark a task done: its assignee's own, or (supervisors) any; an unassigned task is the
    supervisors'."""
    async with transaction(pool) as conn:
        task = await task_store.lock(conn, task_id)
        if task is None:
            raise NotFound("no such account task")
        if not overseer and task.assignee_id != user_id:
            raise Forbidden("this task is someone else's")
        return await tasks.close_task(conn, actor, task_id, TaskState.DONE, now=now)

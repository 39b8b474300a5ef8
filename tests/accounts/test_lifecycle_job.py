"""The daily lifecycle job: stages written (audited, kept as history), a reactivation task for a
key account going dormant (once), closed by itself when the account is active again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from contact_center import accounts
from contact_center.accounts import TaskKind, TaskState
from contact_center.accounts.health_service import HealthRun
from contact_center.accounts.stages import StageRun, run_stages
from contact_center.config import Settings
from contact_center.db import Conn, Pool
from contact_center.jobs.model import JobContext
from contact_center.jobs.worker import run_once
from contact_center.users import Role
from tests.accounts.helpers import add_value, contact, key_account, visit_done
from tests.builders import make_organization, make_user

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)  # the site zone is UTC in the suite
TODAY = date(2026, 12, 5)


async def _stage(db: Pool, org_id: object) -> str:
    async with db.acquire() as conn:
        return str(
            await conn.fetchval("SELECT lifecycle_stage FROM organizations WHERE id = $1", org_id)
        )


async def test_stages_from_orders_contact_and_idle_days(db: Pool, conn: Conn) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    quiet = await key_account(db, "Harbour Supplies", manager.id)
    await add_value(db, quiet.id, TODAY - timedelta(days=90), "1200", source_id="q1", now=NOW)
    busy = await make_organization(db, "北方贸易有限公司")
    await add_value(db, busy.id, TODAY - timedelta(days=200), "80", source_id="b1", now=NOW)
    await contact(db, busy.id, now=NOW - timedelta(days=2))
    gone = await make_organization(db, "Old Mill Bakery")
    await add_value(db, gone.id, TODAY - timedelta(days=365), "40", source_id="g1", now=NOW)
    never = await make_organization(db, "Prospect Ltd")
    await contact(db, never.id, now=NOW - timedelta(days=1))

    run = await run_stages(db, now=NOW)

    assert await _stage(db, quiet.id) == "dormant"
    assert await _stage(db, busy.id) == "customer"
    assert await _stage(db, gone.id) == "lost"
    assert await _stage(db, never.id) == "prospect"
    assert run.changed >= 3 and run.reactivations_opened == 1
    async with db.acquire() as conn:
        history = await conn.fetch(
            "SELECT from_stage, to_stage, last_activity_on FROM lifecycle_changes"
            " WHERE organization_id = $1",
            quiet.id,
        )
        audited = await conn.fetchval(
            "SELECT count(*) FROM audit_log WHERE entity = 'organization' AND entity_id = $1"
            " AND action = 'lifecycle'",
            str(quiet.id),
        )
    assert [tuple(r) for r in history] == [("customer", "dormant", TODAY - timedelta(days=90))]
    assert audited == 1
    tasks = await accounts.list_tasks(conn, organization_id=quiet.id, include_closed=True)
    assert [(t.kind, t.state, t.assignee_id) for t in tasks] == [
        (TaskKind.REACTIVATE, TaskState.OPEN, manager.id)
    ]


async def test_the_reactivation_task_opens_once_and_closes_on_new_activity(
    db: Pool, conn: Conn
) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    org = await key_account(db, "Copper Lane Books", manager.id)
    await add_value(
        db,
        org.id,
        TODAY - timedelta(days=120),
        "1234.50",
        source_id="c1",
        now=NOW,
    )

    first = await run_stages(db, now=NOW)
    again = await run_stages(db, now=NOW + timedelta(days=1))
    assert first.reactivations_opened == 1
    assert again.changed == 0 and again.reactivations_opened == 0
    assert len(await accounts.list_tasks(conn, organization_id=org.id, include_closed=True)) == 1

    await contact(db, org.id, now=NOW + timedelta(days=2))
    back = await run_stages(db, now=NOW + timedelta(days=2, hours=1))
    assert back.reactivations_closed == 1
    assert await _stage(db, org.id) == "customer"
    (task,) = await accounts.list_tasks(conn, organization_id=org.id, include_closed=True)
    assert task.state is TaskState.DONE and task.closed_at is not None


async def test_a_plain_account_going_dormant_gets_no_task(db: Pool, conn: Conn) -> None:
    org = await make_organization(db, "Small Corner Shop")
    await add_value(db, org.id, TODAY - timedelta(days=100), "15", source_id="s1", now=NOW)
    run = await run_stages(db, now=NOW)
    assert await _stage(db, org.id) == "dormant" and run.reactivations_opened == 0


async def test_the_worker_runs_both_jobs_by_name(db: Pool, settings: Settings) -> None:
    org = await make_organization(db, "Riverside Florist")
    await add_value(db, org.id, TODAY, "64", source_id="r1", now=NOW)
    context = JobContext(pool=db, settings=settings)
    stages = await run_once(context, "account-lifecycle")
    health = await run_once(context, "account-health")
    assert isinstance(stages, StageRun) and stages.accounts >= 1
    assert isinstance(health, HealthRun) and health.accounts >= 1


async def test_a_visit_done_keeps_a_key_account_active(db: Pool, conn: Conn) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    org = await key_account(db, "Lakeside Tools", manager.id)
    await add_value(db, org.id, TODAY - timedelta(days=200), "500", source_id="l1", now=NOW)
    await visit_done(db, org.id, manager.id, TODAY - timedelta(days=89), 4)
    run = await run_stages(db, now=NOW)
    assert await _stage(db, org.id) == "customer" and run.reactivations_opened == 0
    later = await run_stages(db, now=NOW + timedelta(days=1))  # 90 days after the visit
    assert await _stage(db, org.id) == "dormant" and later.reactivations_opened == 1

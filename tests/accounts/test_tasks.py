"""Account tasks: one open task of a kind per account, closed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from contact_center import accounts
from contact_center.accounts import AccountTask, TaskKind, TaskState
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict
from tests.builders import make_organization

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SYSTEM = Actor.system("test")


async def _open_assignment(
    conn: Conn, org_id: UUID, *, due_at: datetime, note: str
) -> tuple[AccountTask, bool]:
    return await accounts.open_task(
        conn,
        SYSTEM,
        organization_id=org_id,
        kind=TaskKind.ASSIGN_MANAGER,
        assignee_id=None,
        due_at=due_at,
        note=note,
        now=NOW,
    )


async def test_asking_twice_keeps_one_open_task_and_closing_frees_the_kind(db: Pool) -> None:
    org = await make_organization(db, "Harbour Supplies")
    async with transaction(db) as conn:
        first, created = await _open_assignment(
            conn, org.id, due_at=NOW + timedelta(days=1), note="new key account"
        )
        again, created_again = await _open_assignment(
            conn, org.id, due_at=NOW + timedelta(days=2), note="asked again"
        )
    assert created and not created_again
    assert again.id == first.id and again.account_name == "Harbour Supplies"

    async with transaction(db) as conn:
        done = await accounts.close_task(conn, SYSTEM, first.id, TaskState.DONE, now=NOW)
        assert done.state is TaskState.DONE and done.closed_at == NOW
        with pytest.raises(Conflict):
            await accounts.close_task(conn, SYSTEM, first.id, TaskState.DONE, now=NOW)
        _, reopened = await _open_assignment(conn, org.id, due_at=NOW, note="")
        listed = await accounts.list_tasks(conn, supervisors=True, organization_id=org.id)
    assert reopened
    assert [t.state for t in listed] == [TaskState.OPEN]

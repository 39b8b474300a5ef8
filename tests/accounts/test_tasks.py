"""Account tasks: one open task of a kind per account, closed once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from contact_center import accounts
from contact_center.accounts import TaskKind, TaskState
from contact_center.audit import Actor
from contact_center.db import Pool, transaction
from contact_center.errors import Conflict
from tests.builders import make_organization

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
SYSTEM = Actor.system("test")


async def test_asking_twice_keeps_one_open_task_and_closing_frees_the_kind(db: Pool) -> None:
    org = await make_organization(db, "Harbour Supplies")
    async with transaction(db) as conn:
        first, created = await accounts.open_task(
            conn,
            SYSTEM,
            organization_id=org.id,
            kind=TaskKind.ASSIGN_MANAGER,
            assignee_id=None,
            due_at=NOW + timedelta(days=1),
            note="new key account",
            now=NOW,
        )
        again, created_again = await accounts.open_task(
            conn,
            SYSTEM,
            organization_id=org.id,
            kind=TaskKind.ASSIGN_MANAGER,
            assignee_id=None,
            due_at=NOW + timedelta(days=2),
            note="asked again",
            now=NOW,
        )
    assert created and not created_again
    assert again.id == first.id and again.account_name == "Harbour Supplies"

    async with transaction(db) as conn:
        done = await accounts.close_task(conn, SYSTEM, first.id, TaskState.DONE, now=NOW)
        assert done.state is TaskState.DONE and done.closed_at == NOW
        with pytest.raises(Conflict):
            await accounts.close_task(conn, SYSTEM, first.id, TaskState.DONE, now=NOW)
        _, reopened = await accounts.open_task(
            conn,
            SYSTEM,
            organization_id=org.id,
            kind=TaskKind.ASSIGN_MANAGER,
            assignee_id=None,
            due_at=NOW,
            note="",
            now=NOW,
        )
        listed = await accounts.list_tasks(conn, supervisors=True, organization_id=org.id)
    assert reopened
    assert [t.state for t in listed] == [TaskState.OPEN]

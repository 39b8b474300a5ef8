"""The structure rules of the house style, checked: SQL only in store modules, enums matching
their SQL CHECK constraints, modules within the size budget."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from contact_center.accounts.model import TaskKind, TaskState, ValueKind
from contact_center.calls.model import (
    CallbackOutcome,
    CallbackReason,
    CallbackState,
    CallState,
    Outcome,
)
from contact_center.calls.model import Direction as CallDirection
from contact_center.care.model import STORED_SKIPS, BroadcastState
from contact_center.customers.model import IdentityKind, LifecycleStage, Tier
from contact_center.outbox.model import OutboundPurpose
from contact_center.routing.model import Strategy
from contact_center.site.model import SettingKey
from contact_center.tickets.model import Channel, Direction, Kind, Priority, Status
from contact_center.users.model import Role
from contact_center.users.throttle import Scope
from contact_center.visits.model import VisitReason, VisitRequestState
from contact_center.workflows.action_rules import ActionState, AnsweredVia
from contact_center.workflows.model import (
    Action,
    CaseSource,
    CaseState,
    ClockEvent,
    ClockKind,
    ClockMode,
    ClockState,
)

ROOT = Path(__file__).resolve().parents[2]
SQL_CALL = re.compile(r"\.(fetch|fetchrow|fetchval|execute|executemany|copy_records_to_table)\(")
# Modules allowed to run SQL: each folder's store (store.py, or *_store.py when split for size),
# the database plumbing and the health probe (SELECT 1).
ALLOWED = {"store.py"}
ALLOWED_PATHS = {"contact_center/web/api/health.py", "contact_center/reports/queries.py"}


def python_files() -> list[Path]:
    return [p for folder in ("contact_center", "channels") for p in (ROOT / folder).rglob("*.py")]


def test_sql_runs_only_in_store_modules() -> None:
    offenders = []
    for path in python_files():
        relative = path.relative_to(ROOT).as_posix()
        if (
            path.name in ALLOWED
            or path.name.endswith("_store.py")
            or relative.startswith("contact_center/db/")
            or relative in ALLOWED_PATHS
        ):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if SQL_CALL.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


def test_modules_stay_under_the_hard_size_cap() -> None:
    too_big = [
        (p.relative_to(ROOT).as_posix(), n)
        for p in python_files()
        if (n := len(p.read_text().splitlines())) > 500
    ]
    assert too_big == []


CHECKS: list[tuple[str, type[StrEnum]]] = [
    ("users_role_check", Role),
    ("login_throttles_scope_check", Scope),
    ("customer_identities_kind_check", IdentityKind),
    ("organizations_tier_check", Tier),
    ("organizations_lifecycle_check", LifecycleStage),
    ("tickets_kind_check", Kind),
    ("tickets_status_check", Status),
    ("tickets_priority_check", Priority),
    ("tickets_channel_check", Channel),
    ("messages_channel_check", Channel),
    ("messages_direction_check", Direction),
    ("queues_strategy_check", Strategy),
    ("calls_direction_check", CallDirection),
    ("calls_state_check", CallState),
    ("calls_outcome_check", Outcome),
    ("callback_tasks_reason_check", CallbackReason),
    ("callback_tasks_state_check", CallbackState),
    ("callback_tasks_outcome_check", CallbackOutcome),
    ("case_actions_action_check", Action),
    ("case_actions_state_check", ActionState),
    ("visit_requests_reason_check", VisitReason),
    ("visit_requests_state_check", VisitRequestState),
    ("surveys_answered_via_check", AnsweredVia),
    ("site_settings_key_check", SettingKey),
    ("cases_state_check", CaseState),
    ("cases_source_check", CaseSource),
    ("clocks_kind_check", ClockKind),
    ("clocks_state_check", ClockState),
    ("clocks_mode_check", ClockMode),
    ("clock_events_event_check", ClockEvent),
    ("account_tasks_kind_check", TaskKind),
    ("account_tasks_state_check", TaskState),
    ("account_values_kind_check", ValueKind),
    ("outbound_messages_purpose_check", OutboundPurpose),
    ("broadcasts_state_check", BroadcastState),
    ("broadcast_recipients_skipped_check", STORED_SKIPS),
]


@pytest.mark.parametrize(("constraint", "enum"), CHECKS)
async def test_enums_match_their_sql_check_constraints(
    pool: asyncpg.Pool[Any], constraint: str, enum: type[StrEnum] | frozenset[StrEnum]
) -> None:
    async with pool.acquire() as conn:
        definition = await conn.fetchval(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = $1", constraint
        )
    assert definition, constraint
    assert set(re.findall(r"'([^']+)'::text", definition)) == {e.value for e in enum}

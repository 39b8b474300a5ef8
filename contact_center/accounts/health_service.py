"""The daily health figures of every account (one history row per account per site day), and
one account's figures with history and trend for its card."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from contact_center import customers, site, tickets, visits, workflows
from contact_center.accounts import health, health_store
from contact_center.accounts.health import FIGURES, TREND_DAYS, AccountFacts
from contact_center.db import Conn, Pool, transaction

log = logging.getLogger(__name__)
HISTORY_DAYS = 180  # what the card's history and sparklines show


@dataclass(frozen=True)
class HealthRun:
    day: date
    accounts: int


@dataclass(frozen=True)
class Figure:
    name: str
    value: float | None
    trend_30: float | None
    trend_90: float | None


@dataclass(frozen=True)
class AccountHealth:
    organization_id: UUID
    day: date | None  # the latest computed day; None before the first run
    figures: list[Figure]
    contribution_rank: int | None
    details: dict[str, Any]
    history: list[dict[str, Any]]


def _month_start(day: date, months_back: int) -> date:
    """The first day of the month `months_back` months before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


async def run_health(pool: Pool, *, now: datetime) -> HealthRun:
    """Compute and store today's figures of every account (again: replaces today's rows)."""
    async with transaction(pool) as conn:
        settings = await site.load(conn)
        zone = ZoneInfo(settings.timezone)
        today = now.astimezone(zone).date()
        facts = await _facts(
            conn, now=now, today=today, zone=zone, months=int(settings.tiering["months"])
        )
        figures = health.compute(facts, today=today)
        await health_store.upsert_health(
            conn,
            [
                (
                    h.organization_id,
                    _dec(h.satisfaction),
                    _dec(h.loyalty),
                    _dec(h.contribution),
                    h.contribution_rank,
                    _dec(h.dependency),
                    h.details,
                )
                for h in figures
            ],
            day=today,
            now=now,
        )
    log.info("account health: %d accounts on %s", len(figures), today)
    return HealthRun(today, len(figures))


def _dec(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


async def _facts(
    conn: Conn, *, now: datetime, today: date, zone: ZoneInfo, months: int
) -> list[AccountFacts]:
    year_from = _month_start(today, 11)
    window_from = _month_start(today, months - 1)
    since = datetime.combine(year_from, datetime.min.time(), zone)
    values = {
        row["organization_id"]: row
        for row in await health_store.value_facts(
            conn, window_from=window_from, year_from=year_from, today=today
        )
    }
    contacts = await tickets.contacts_by_account(conn, since=since, until=now)
    surveys = await workflows.survey_scores_by_account(conn, since=since, until=now)
    visit_scores = await visits.satisfaction_by_account(conn, since=year_from)
    facts = []
    for account in await customers.account_stages(conn):
        org = account.organization_id
        value = values.get(org)
        started = account.created_at.astimezone(zone).date()
        if value is not None and value["first_order_on"] is not None:
            started = min(started, value["first_order_on"])
        contact = contacts.get(org)
        facts.append(
            AccountFacts(
                organization_id=org,
                since=started,
                scores=tuple(surveys.get(org, [])) + tuple(visit_scores.get(org, [])),
                order_months=value["order_months"] if value else 0,
                contacts=contact.tickets_since if contact else 0,
                value=value["value"] if value else Decimal(0),
                known_amount=value["known_amount"] if value else Decimal(0),
                known_total=value["known_total"] if value else Decimal(0),
            )
        )
    return facts


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


async def account_health(conn: Conn, organization_id: UUID, *, now: datetime) -> AccountHealth:
    """The account's latest figures, their change over 30 and 90 days, and the history."""
    settings = await site.load(conn)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    rows = await health_store.history(
        conn, organization_id, today - timedelta(days=max(HISTORY_DAYS, *TREND_DAYS) + 1)
    )
    history = [{"day": row["day"], **{name: _float(row[name]) for name in FIGURES}} for row in rows]
    if not rows:
        return AccountHealth(
            organization_id, None, [Figure(n, None, None, None) for n in FIGURES], None, {}, []
        )
    latest = rows[-1]
    figures = []
    for name in FIGURES:
        series = {h["day"]: h[name] for h in history}
        now_value = series[latest["day"]]
        trends = [
            health.trend(series, now_value, today=latest["day"], days=days) for days in TREND_DAYS
        ]
        figures.append(Figure(name, now_value, trends[0], trends[1]))
    shown_from = today - timedelta(days=HISTORY_DAYS)
    return AccountHealth(
        organization_id=organization_id,
        day=latest["day"],
        figures=figures,
        contribution_rank=latest["contribution_rank"],
        details=dict(latest["details"]),
        history=[h for h in history if h["day"] >= shown_from],
    )


async def lifecycle_changes(
    conn: Conn, organization_id: UUID, *, limit: int = 20
) -> list[dict[str, Any]]:
    """The account's latest lifecycle moves, newest first."""
    return [dict(row) for row in await health_store.changes_of(conn, organization_id, limit)]


async def health_card(
    pool: Pool, organization_id: UUID, *, now: datetime
) -> tuple[AccountHealth, list[dict[str, Any]]]:
    """What the card's health section shows: the figures and the latest lifecycle moves (reads
    only, on one connection)."""
    async with pool.acquire() as conn:
        found = await account_health(conn, organization_id, now=now)
        moves = await lifecycle_changes(conn, organization_id)
    return found, moves

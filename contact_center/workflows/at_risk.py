"""Accounts at risk: N complaints within D days (the `at_risk` setting). Counted from cases
(workflows owns them) for accounts (customers owns them); a new complaint that makes its
account at risk tells the account manager once, by a live event and a note on the ticket."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center import customers, live, site, tickets
from contact_center.db import Conn, Pool
from contact_center.live import Event
from contact_center.tickets.model import Ticket
from contact_center.workflows import risk_store
from contact_center.workflows.risk import AtRisk, AtRiskRule, assess, crossed_by, risks_of

MAX_LISTED = 500


async def at_risk_rule(conn: Conn) -> AtRiskRule:
    """The site's rule as stored now (the site checked the setting)."""
    settings = await site.load(conn)
    return AtRiskRule(complaints=settings.at_risk_complaints, days=settings.at_risk_days)


async def accounts_risk(
    conn: Conn, account_ids: list[UUID], *, now: datetime
) -> dict[UUID, AtRisk]:
    """The accounts among these that are at risk at `now`, with the complaints that count."""
    rule = await at_risk_rule(conn)
    found = await risk_store.list_account_complaints(conn, account_ids, since=rule.since(now))
    risks = {a: assess(a, found, rule, now=now) for a in set(account_ids)}
    return {a: r for a, r in risks.items() if r is not None}


async def accounts_at_risk(
    pool: Pool, *, manager_id: UUID | None, now: datetime
) -> list[dict[str, Any]]:
    """Accounts at risk now, the latest complaint first; `manager_id` keeps that account
    manager's. Each with its account facts and the complaint tickets that count."""
    async with pool.acquire() as conn:
        rule = await at_risk_rule(conn)
        complaints = await risk_store.list_complaints_since(conn, since=rule.since(now))
        risks = {r.account_id: r for r in risks_of(complaints, rule, now=now)}
        accounts = await customers.accounts_by_id(conn, list(risks))
    ids = [
        i for i in risks if i in accounts and manager_id in (None, accounts[i].account_manager_id)
    ][:MAX_LISTED]
    return [
        {
            **dataclasses.asdict(risks[i]),
            "name": accounts[i].name,
            "personal": accounts[i].personal,
            "key_account": accounts[i].key_account,
            "tier": accounts[i].tier,
            "account_manager_id": accounts[i].account_manager_id,
        }
        for i in ids
    ]


async def complaint_opened(conn: Conn, ticket: Ticket, *, now: datetime) -> None:
    """A complaint case just opened on `ticket`: if it puts its account at risk (the count
    reached the rule's number with it), tell the account manager and note it on the ticket.
    Inside the caller's transaction, after the case is stored."""
    account = await customers.account_of(conn, ticket.customer_id)
    await risk_store.lock_account_risk(conn, account.organization_id)
    rule = await at_risk_rule(conn)
    found = await risk_store.list_account_complaints(
        conn, [account.organization_id], since=rule.since(now)
    )
    if not crossed_by(ticket.id, found, rule, now=now):
        return
    await live.publish(
        conn,
        Event.ACCOUNT_AT_RISK,
        {
            "account_id": account.organization_id,
            "account_name": account.name,
            "account_manager_id": account.account_manager_id,
            "ticket_id": ticket.id,
            "complaints": rule.complaints,
            "days": rule.days,
        },
    )
    await tickets.add_system_note(
        conn,
        ticket.id,
        f"{account.name or 'This account'} is at risk: {rule.complaints} complaints "
        f"within {rule.days} days. Its account manager has been told.",
        now=now,
    )

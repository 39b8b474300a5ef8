"""When an account is at risk: N complaints (cases not withdrawn) within D days. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class AtRiskRule:
    complaints: int = 3
    days: int = 90

    def since(self, now: datetime) -> datetime:
        """The start of the window that counts at `now`."""
        return now - timedelta(days=self.days)


@dataclass(frozen=True)
class AccountComplaint:
    """One complaint that counts against an account: its ticket, for the card's links."""

    account_id: UUID
    ticket_id: UUID
    number: int
    subject: str
    opened_at: datetime


@dataclass(frozen=True)
class AtRisk:
    account_id: UUID
    complaints: int
    days: int
    threshold: int
    tickets: tuple[AccountComplaint, ...]  # newest first


def rule_from_setting(value: Mapping[str, Any] | None, default: AtRiskRule) -> AtRiskRule:
    """The stored `at_risk` setting as a rule; what is missing or unusable keeps the default."""
    if not value:
        return default
    return AtRiskRule(
        complaints=_positive(value.get("complaints"), default.complaints),
        days=_positive(value.get("days"), default.days),
    )


def _positive(value: Any, default: int) -> int:
    usable = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return int(value) if usable else default


def assess(
    account_id: UUID, complaints: Sequence[AccountComplaint], rule: AtRiskRule, *, now: datetime
) -> AtRisk | None:
    """The account's risk at `now` from its complaints (others are ignored); None if fine."""
    since = rule.since(now)
    counted = sorted(
        (c for c in complaints if c.account_id == account_id and since <= c.opened_at <= now),
        key=lambda c: c.opened_at,
        reverse=True,
    )
    if len(counted) < rule.complaints:
        return None
    return AtRisk(account_id, len(counted), rule.days, rule.complaints, tuple(counted))


def crossed_by(
    ticket_id: UUID, complaints: Sequence[AccountComplaint], rule: AtRiskRule, *, now: datetime
) -> bool:
    """Whether this ticket's new complaint is the one that puts its account at risk: it
    counts, and with it the count just reached the rule's number (once per crossing)."""
    since = rule.since(now)
    counted = [c for c in complaints if since <= c.opened_at <= now]
    return any(c.ticket_id == ticket_id for c in counted) and len(counted) == rule.complaints

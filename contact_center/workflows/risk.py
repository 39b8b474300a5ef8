"""When an account is at risk: N complaints (cases not withdrawn) within D days. Pure, and the
only place that counts (the store only reads the complaints of the window; the rule's numbers
come from the `at_risk` site setting, checked by the site)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
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


def _counted(
    complaints: Sequence[AccountComplaint], rule: AtRiskRule, now: datetime
) -> list[AccountComplaint]:
    """The complaints inside the rule's window at `now`, newest first."""
    since = rule.since(now)
    inside = (c for c in complaints if since <= c.opened_at <= now)
    return sorted(inside, key=lambda c: c.opened_at, reverse=True)


def assess(
    account_id: UUID, complaints: Sequence[AccountComplaint], rule: AtRiskRule, *, now: datetime
) -> AtRisk | None:
    """The account's risk at `now` from its complaints (others are ignored); None if fine."""
    counted = _counted([c for c in complaints if c.account_id == account_id], rule, now)
    if len(counted) < rule.complaints:
        return None
    return AtRisk(account_id, len(counted), rule.days, rule.complaints, tuple(counted))


def risks_of(
    complaints: Sequence[AccountComplaint], rule: AtRiskRule, *, now: datetime
) -> list[AtRisk]:
    """Every account at risk at `now` among these complaints, the latest complaint first."""
    found = (assess(a, complaints, rule, now=now) for a in {c.account_id for c in complaints})
    risks = [r for r in found if r is not None]
    return sorted(risks, key=lambda r: (r.tickets[0].opened_at, str(r.account_id)), reverse=True)


def crossed_by(
    ticket_id: UUID, complaints: Sequence[AccountComplaint], rule: AtRiskRule, *, now: datetime
) -> bool:
    """Whether this ticket's new complaint is the one that puts its account at risk: it
    counts, and with it the count just reached the rule's number (once per crossing)."""
    counted = _counted(complaints, rule, now)
    return any(c.ticket_id == ticket_id for c in counted) and len(counted) == rule.complaints

"""The one priority rule, for tickets (intake, opened by hand) and for routing work items, and
the one rule for whom a customer's work is offered first."""

from __future__ import annotations

from uuid import UUID

from contact_center.routing.model import Priority

RANK = {Priority.LOW: 0, Priority.NORMAL: 1, Priority.HIGH: 2, Priority.URGENT: 3}
RAISED = {
    Priority.LOW: Priority.NORMAL,
    Priority.NORMAL: Priority.HIGH,
    Priority.HIGH: Priority.URGENT,
    Priority.URGENT: Priority.URGENT,
}


def priority_for(
    *, key_account: bool, complaint: bool, requested: Priority | None = None
) -> Priority:
    """Key account first, then complaint, then the rest (routing then orders by age within a
    priority): anything from a key account is urgent, a complaint high, the rest normal. An
    agent who chooses a priority by hand (`requested`) has the last word."""
    if requested is not None:
        return requested
    if key_account:
        return Priority.URGENT
    return Priority.HIGH if complaint else Priority.NORMAL


def raised_priority(priority: Priority) -> Priority:
    """A missed deadline raises the ticket one level (urgent stays urgent)."""
    return RAISED[priority]


def preferred_agents(*candidates: UUID | None) -> tuple[UUID, ...]:
    """Whom a customer's ticket, call or callback is offered first (`ItemRequest.
    preferred_agent_ids`), in the callers' order — the account manager, then the agent who last
    helped them (a callback task's own assignee before both); each once, missing ones left
    out."""
    return tuple(dict.fromkeys(a for a in candidates if a is not None))

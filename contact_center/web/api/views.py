"""How domain values look in API responses."""

from __future__ import annotations

import dataclasses
from typing import Any
from uuid import UUID

from contact_center.customers import Customer, Organization, Suggestion
from contact_center.merges import MergePreview
from contact_center.tickets import Message, Ticket
from contact_center.users import ApiToken, User


def customer_view(customer: Customer) -> dict[str, Any]:
    """The card, its phones and emails, and its account (read-only: `account.organization_id`
    is the account's own row, personal or the organization's)."""
    data = dataclasses.asdict(customer)
    data["phones"], data["emails"] = customer.phones, customer.emails
    return data


def organization_view(org: Organization, members: list[Customer] | None = None) -> dict[str, Any]:
    data = dataclasses.asdict(org)
    if members is not None:
        data["members"] = [
            {
                "id": m.id,
                "name": m.name,
                "job_title": m.job_title,
                "phones": m.phones,
                "emails": m.emails,
            }
            for m in members
        ]
    return data


def ticket_view(ticket: Ticket, messages: list[Message] | None = None) -> dict[str, Any]:
    data = dataclasses.asdict(ticket)
    if messages is not None:
        data["messages"] = [dataclasses.asdict(m) for m in messages]
    return data


def user_view(user: User) -> dict[str, Any]:
    return dataclasses.asdict(user)


def token_view(token: ApiToken) -> dict[str, Any]:
    return dataclasses.asdict(token)


def suggestion_view(suggestion: Suggestion, cards: dict[UUID, Customer]) -> dict[str, Any]:
    return {
        "a": customer_view(cards[suggestion.a]),
        "b": customer_view(cards[suggestion.b]),
        "score": suggestion.score,
        "reasons": [dataclasses.asdict(r) for r in suggestion.reasons],
    }


def merge_preview_view(preview: MergePreview) -> dict[str, Any]:
    return {
        "survivor": customer_view(preview.survivor),
        "merged": customer_view(preview.merged),
        "tickets": {"count": len(preview.ticket_numbers), "numbers": preview.ticket_numbers},
        "phones": preview.phones,
        "emails": preview.emails,
        "fills": preview.fills,
        "conflicts": [dataclasses.asdict(c) for c in preview.conflicts],
    }

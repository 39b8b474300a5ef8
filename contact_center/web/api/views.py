"""How domain values look in API responses."""

from __future__ import annotations

import dataclasses
from typing import Any

from contact_center.customers import Customer, Organization
from contact_center.tickets import Message, Ticket
from contact_center.users import ApiToken, User


def customer_view(customer: Customer) -> dict[str, Any]:
    data = dataclasses.asdict(customer)
    data["phones"], data["emails"] = customer.phones, customer.emails
    return data


def organization_view(org: Organization, members: list[Customer] | None = None) -> dict[str, Any]:
    data = dataclasses.asdict(org)
    if members is not None:
        data["members"] = [
            {"id": m.id, "name": m.name, "phones": m.phones, "emails": m.emails} for m in members
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

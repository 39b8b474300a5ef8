"""Small builders for test data; everything goes in through the product's own services."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from contact_center import customers, users
from contact_center.audit import Actor
from contact_center.customers import Customer, NewCustomer
from contact_center.db import Pool
from contact_center.tickets import Channel, InboundContact
from contact_center.users import Argon2Cost, Passwords, Role, User

TEST_ACTOR = Actor.system("test")
PASSWORD = "correct horse battery"
# Argon2's smallest cost: tests check the logic, not the cost (the settings fixture uses it too,
# so users made here log in without a rehash).
TEST_ARGON2 = Argon2Cost(time_cost=1, memory_kib=8, parallelism=1)
TEST_PASSWORDS = Passwords(TEST_ARGON2)
_numbers = itertools.count(1000)


def unique_phone() -> str:
    """A valid, unused US number (+1 202 3xx xxxx)."""
    n = next(_numbers) + secrets.randbelow(10_000) * 10_000
    return f"+1202{300 + n % 600:03d}{n // 1000 % 10_000:04d}"


def make_inbound_sms(**overrides: Any) -> InboundContact:
    values: dict[str, Any] = {
        "channel": Channel.SMS,
        "provider_id": "SM" + secrets.token_hex(16),
        "from_address": unique_phone(),
        "to_address": "+12025550100",
        "text": "Hello, where is my order?",
    }
    values.update(overrides)
    return InboundContact(**values)


def make_inbound_email(**overrides: Any) -> InboundContact:
    values: dict[str, Any] = {
        "channel": Channel.EMAIL,
        "provider_id": f"<{secrets.token_hex(8)}@mail.example.net>",
        "from_address": f"writer{secrets.token_hex(3)}@example.net",
        "to_address": "support@example.com",
        "subject": "Question",
        "text": "Hello there",
    }
    values.update(overrides)
    return InboundContact(**values)


async def make_customer(pool: Pool, name: str = "Test Customer", **fields: Any) -> Customer:
    phones = fields.pop("phones", [unique_phone()])
    emails = fields.pop("emails", [])
    return await customers.create_customer(
        pool,
        TEST_ACTOR,
        NewCustomer(name=name, phones=phones, emails=emails, fields=fields),
        region="US",
    )


async def make_organization(pool: Pool, name: str = "Test Organization", **fields: Any) -> Any:
    """An organization: the account of the customers made with its id as `organization_id`
    (a customer made without one gets a personal account of its own)."""
    return await customers.create_organization(pool, TEST_ACTOR, {"name": name, **fields})


async def make_user(pool: Pool, role: Role = Role.AGENT, email: str | None = None) -> User:
    return await users.create_user(
        pool,
        TEST_ACTOR,
        email=email or f"{role}-{secrets.token_hex(4)}@example.com",
        role=role,
        password=PASSWORD,
        passwords=TEST_PASSWORDS,
    )


async def token_for(pool: Pool, user: User) -> dict[str, str]:
    token = await users.create_api_token(pool, TEST_ACTOR, email=user.email)
    return {"Authorization": f"Bearer {token}"}

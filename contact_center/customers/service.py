"""Customer and organization use cases: create, read, change (audited), search, resolve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from contact_center import audit, live
from contact_center.audit import Actor
from contact_center.customers import store
from contact_center.customers.fields import clean_customer_fields, clean_organization_fields
from contact_center.customers.identities import normalize_email, normalize_phone
from contact_center.customers.model import (
    Account,
    Customer,
    IdentityKind,
    NewCustomer,
    Organization,
)
from contact_center.customers.search import read_query
from contact_center.db import Conn, Pool, transaction
from contact_center.db.like import contains_pattern
from contact_center.errors import Conflict, Invalid
from contact_center.live import Event


@dataclass(frozen=True)
class ResolvedCustomer:
    """Who an inbound contact came from, and what intake needs to know of their account."""

    id: UUID
    created: bool
    organization_id: UUID | None
    key_account: bool
    name: str = ""
    language: str = ""
    sms_opted_out: bool = False


@dataclass(frozen=True)
class Identities:
    phones: list[str]
    emails: list[str]


def normalize_identities(phones: list[str], emails: list[str], region: str) -> Identities:
    """Normalized, de-duplicated phones and emails; raises Invalid naming e.g. `phones[1]`."""
    norm_phones = [normalize_phone(p, region, field=f"phones[{n}]") for n, p in enumerate(phones)]
    norm_emails = [normalize_email(e, field=f"emails[{n}]") for n, e in enumerate(emails)]
    return Identities(list(dict.fromkeys(norm_phones)), list(dict.fromkeys(norm_emails)))


async def insert_new_customer(conn: Conn, actor: Actor, new: NewCustomer, region: str) -> UUID:
    """Create a customer inside the caller's transaction (used by create and by CSV import)."""
    fields = clean_customer_fields({**new.fields, "name": new.name})
    ids = normalize_identities(new.phones, new.emails, region)
    customer_id = await store.insert_customer(conn, fields=fields)
    for n, phone in enumerate(ids.phones):
        await store.insert_identity(
            conn, customer_id, IdentityKind.PHONE, phone, field=f"phones[{n}]"
        )
    for n, email in enumerate(ids.emails):
        await store.insert_identity(
            conn, customer_id, IdentityKind.EMAIL, email, field=f"emails[{n}]"
        )
    await audit.record_change(
        conn,
        actor,
        "customer",
        customer_id,
        "created",
        after={**fields, "phones": ids.phones, "emails": ids.emails},
    )
    await live.publish(
        conn, Event.CUSTOMER_CREATED, {"customer_id": customer_id, "name": fields.get("name")}
    )
    return customer_id


async def create_customer(pool: Pool, actor: Actor, new: NewCustomer, *, region: str) -> Customer:
    """Create a customer with its phones and emails; Conflict when one belongs to another."""
    async with transaction(pool) as conn:
        customer_id = await insert_new_customer(conn, actor, new, region)
        return await store.get_customer(conn, customer_id)


async def get_customer(pool: Pool, customer_id: UUID) -> Customer:
    async with pool.acquire() as conn:
        return await store.get_customer(conn, customer_id)


async def update_customer(
    pool: Pool,
    actor: Actor,
    customer_id: UUID,
    changes: dict[str, Any],
    *,
    region: str,
    expected_version: str | None = None,
) -> Customer:
    """Change card fields, and replace phones/emails when given; every change is audited.

    With `expected_version` (`Customer.version()` when the editor opened the card), a card
    someone changed meanwhile is refused (Conflict, field `version`) instead of overwritten.
    """
    phones, emails = changes.pop("phones", None), changes.pop("emails", None)
    fields = clean_customer_fields(changes)
    async with transaction(pool) as conn:
        (before,) = await _lock_one(conn, customer_id)
        if expected_version is not None and before.version() != expected_version:
            raise Conflict(
                "someone changed this card since you opened it; check it and save again",
                field="version",
            )
        await store.update_customer(conn, customer_id, changes=fields)
        if phones is not None:
            await _replace_identities(
                conn,
                before,
                IdentityKind.PHONE,
                normalize_identities(phones, [], region).phones,
                "phones",
            )
        if emails is not None:
            await _replace_identities(
                conn,
                before,
                IdentityKind.EMAIL,
                normalize_identities([], emails, region).emails,
                "emails",
            )
        after = await store.get_customer(conn, customer_id)
        old, new = audit.changed_fields(
            {**before.card(), "phones": before.phones, "emails": before.emails},
            {**after.card(), "phones": after.phones, "emails": after.emails},
        )
        if new:
            await audit.record_change(
                conn, actor, "customer", customer_id, "updated", before=old, after=new
            )
            await live.publish(conn, Event.CUSTOMER_UPDATED, {"customer_id": customer_id})
        return after


async def _lock_one(conn: Conn, customer_id: UUID) -> list[Customer]:
    found = await store.lock_customers(conn, [customer_id])
    if not found:
        await store.get_customer(conn, customer_id)  # raises NotFound
    if found[0].merged_into_id is not None:
        raise Conflict("this customer was merged into another; change the survivor", field="id")
    return found


async def _replace_identities(
    conn: Conn, customer: Customer, kind: IdentityKind, wanted: list[str], field: str
) -> None:
    current = {i.value: i.id for i in customer.identities if i.kind is kind}
    for value, identity_id in current.items():
        if value not in wanted:
            await store.delete_identity(conn, customer.id, identity_id)
    for n, value in enumerate(wanted):
        if value not in current:
            await store.insert_identity(conn, customer.id, kind, value, field=f"{field}[{n}]")


async def search_customers(
    pool: Pool, q: str | None, *, region: str, after: tuple[str, str] | None = None, limit: int = 50
) -> list[Customer]:
    query = read_query(q, region)
    async with pool.acquire() as conn:
        return await store.search_customers(conn, query=query, after=after, limit=limit)


async def find_by_identity(conn: Conn, kind: IdentityKind, value: str) -> UUID | None:
    """The customer owning this normalized phone or email, or None."""
    return await store.find_by_identity(conn, kind, value)


async def resolve_by_identity(
    conn: Conn, kind: IdentityKind, value: str, *, name: str, actor: Actor
) -> ResolvedCustomer:
    """The customer owning this normalized phone/email, created when unknown, and locked.

    The customer stays locked for intake until the transaction ends, so that two contacts
    from one customer never open two tickets. Concurrent calls for the same unknown value
    create one customer: the loser of the race waits for the winner and then finds its card.
    An email that our mailer could not answer never becomes an identity (Invalid).
    """
    if kind is IdentityKind.EMAIL and normalize_email(value) != value:
        raise Invalid(f"not a normalized email address: {value!r}", field="email")
    found = await store.find_and_lock_by_identity(conn, kind, value)
    if found is None:
        customer_id = uuid4()
        # Nobody else can see a new customer before commit, so it needs no intake lock.
        if await store.insert_customer_for_identity(
            conn, customer_id, kind, value, name=name or value
        ):
            await _audit_created(conn, actor, customer_id, name or value, kind, value)
            await live.publish(
                conn, Event.CUSTOMER_CREATED, {"customer_id": customer_id, "name": name or value}
            )
            return ResolvedCustomer(customer_id, True, None, False, name=name)
        found = await store.find_and_lock_by_identity(conn, kind, value)
        assert found is not None, "an identity that refused an insert must have an owner"
    return ResolvedCustomer(
        id=found["id"],
        created=False,
        organization_id=found["organization_id"],
        key_account=found["key_account"],
        name=found["name"],
        language=found["language"],
        sms_opted_out=found["sms_opted_out"],
    )


async def _audit_created(
    conn: Conn, actor: Actor, customer_id: UUID, name: str, kind: IdentityKind, value: str
) -> None:
    await audit.record_change(
        conn,
        actor,
        "customer",
        customer_id,
        "created",
        after={"name": name, f"{kind}s": [value]},
    )


async def account_of(conn: Conn, customer_id: UUID) -> Account:
    """The one way to read a customer's account (tier, key account, manager, route, place)."""
    return await store.account_of(conn, customer_id)


async def load_customer(conn: Conn, customer_id: UUID) -> Customer:
    return await store.get_customer(conn, customer_id)


async def set_sms_opt_out(conn: Conn, actor: Actor, customer_id: UUID, opted_out: bool) -> None:
    was = await store.set_sms_opt_out(conn, customer_id, opted_out)
    await audit.record_change(
        conn,
        actor,
        "customer",
        customer_id,
        "sms_opt_out",
        before={"sms_opted_out": was},
        after={"sms_opted_out": opted_out},
    )
    await live.publish(conn, Event.CUSTOMER_UPDATED, {"customer_id": customer_id})


async def phone_opted_out(conn: Conn, phone: str) -> bool:
    """Whether the customer owning this number sent STOP (an unknown number has not)."""
    return await store.phone_opted_out(conn, phone)


async def create_organization(pool: Pool, actor: Actor, fields: dict[str, Any]) -> Organization:
    cleaned = clean_organization_fields(fields)
    if "name" not in cleaned:
        raise Invalid("an organization needs a name", field="name")
    async with transaction(pool) as conn:
        org_id = await store.insert_organization(conn, fields=cleaned)
        await audit.record_change(conn, actor, "organization", org_id, "created", after=cleaned)
        return await store.get_organization(conn, org_id)


async def find_or_create_organization(conn: Conn, actor: Actor, name: str) -> UUID:
    found = await store.find_organization_by_name(conn, name)
    if found is not None:
        return found.id
    org_id = await store.insert_organization(conn, fields=clean_organization_fields({"name": name}))
    await audit.record_change(conn, actor, "organization", org_id, "created", after={"name": name})
    return org_id


async def update_organization(
    pool: Pool, actor: Actor, org_id: UUID, changes: dict[str, Any]
) -> Organization:
    cleaned = clean_organization_fields(changes)
    async with transaction(pool) as conn:
        before = await store.get_organization(conn, org_id)
        await store.update_organization(conn, org_id, changes=cleaned)
        after = await store.get_organization(conn, org_id)
        old, new = audit.changed_fields(before.card(), after.card())
        if new:
            await audit.record_change(
                conn, actor, "organization", org_id, "updated", before=old, after=new
            )
        return after


async def get_organization(pool: Pool, org_id: UUID) -> tuple[Organization, list[Customer]]:
    async with pool.acquire() as conn:
        org = await store.get_organization(conn, org_id)
        return org, await store.list_organization_members(conn, org_id)


async def list_organizations(
    pool: Pool,
    *,
    q: str | None = None,
    tier: str | None = None,
    key_account: bool | None = None,
    after: tuple[str, str] | None = None,
    limit: int = 50,
) -> list[Organization]:
    pattern = contains_pattern(q.strip()) if q and q.strip() else None
    async with pool.acquire() as conn:
        return await store.list_organizations(
            conn, pattern=pattern, tier=tier, key_account=key_account, after=after, limit=limit
        )


async def mark_emails_bouncing(conn: Conn, emails: list[str], *, now: datetime) -> None:
    """A bounce named these addresses as undeliverable; the cards show it from now on."""
    addresses = sorted({e.strip().lower() for e in emails if e.strip()})
    if addresses:
        await store.mark_emails_bouncing(conn, addresses, now)

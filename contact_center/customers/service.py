"""Customer and organization use cases: create, read, change (audited), search, resolve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from contact_center import audit, jobs, live
from contact_center.audit import Actor
from contact_center.customers import search_store, store
from contact_center.customers.fields import (
    clean_customer_fields,
    clean_organization_fields,
    empty_account_fields,
)
from contact_center.customers.identities import normalize_email, normalize_phone
from contact_center.customers.model import (
    ACCOUNT_FIELDS,
    Account,
    Customer,
    IdentityKind,
    NewCustomer,
    Organization,
)
from contact_center.customers.search import read_query
from contact_center.db import Conn, Pool, transaction
from contact_center.db.like import contains_pattern
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.jobs.model import VISIT_PLAN_TASK
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


def _split_account(raw: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the card's own fields, the account's fields), each checked and converted."""
    account = {k: v for k, v in raw.items() if k in ACCOUNT_FIELDS}
    card = {k: v for k, v in raw.items() if k not in ACCOUNT_FIELDS}
    return clean_customer_fields(card), clean_organization_fields(account)


def _refuse_account_edit(org: Organization, changes: dict[str, Any]) -> None:
    """A member's account is its organization's: only the organization changes it (Conflict,
    a refusal by the customer's state as the API's other ones). Values equal to the
    organization's are no change (a form sends back what it showed)."""
    current = org.card()
    changed = [name for name, value in changes.items() if current[name] != value]
    if changed:
        raise Conflict(
            f"the account belongs to the organization {org.name}; edit the organization",
            field=changed[0],
        )


async def _real_organization(conn: Conn, org_id: UUID) -> Organization:
    """The organization to join; a customer's personal account is none (NotFound, as for the
    organizations API)."""
    org = await store.find_organization(conn, org_id)
    if org is None or org.personal:
        raise NotFound("organization_id does not exist", field="organization_id")
    return org


async def _open_personal_account(conn: Conn, name: str, account: dict[str, Any]) -> UUID:
    account_id = await store.insert_personal_account(conn, name=name)
    await store.update_organization(conn, account_id, changes=account)
    return account_id


async def insert_new_customer(conn: Conn, actor: Actor, new: NewCustomer, region: str) -> UUID:
    """Create a customer inside the caller's transaction (used by create and by CSV import).

    A customer of an organization has its account; any other gets a personal account holding
    the account fields given. Account fields for a member of an organization are refused
    (Conflict) unless they equal the organization's."""
    fields, account = _split_account({**new.fields, "name": new.name})
    ids = normalize_identities(new.phones, new.emails, region)
    shown = dict(fields)
    if fields.get("organization_id") is not None:
        _refuse_account_edit(await _real_organization(conn, fields["organization_id"]), account)
        account = {}
    else:
        fields["organization_id"] = await _open_personal_account(conn, fields["name"], account)
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
        after={**shown, **account, "phones": ids.phones, "emails": ids.emails},
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

    Account fields (tier, key account, manager, route, coordinates, lifecycle) change the
    customer's personal account; for a member of an organization they are refused (Invalid,
    naming the organization) unless equal to the organization's. `organization_id` moves the
    customer into an organization, or (None) out of it into a new personal account; a personal
    account left behind stays, unlisted. With `expected_version` (`Customer.version()` when the
    editor opened the card), a card someone changed meanwhile is refused (Conflict, field
    `version`) instead of overwritten.
    """
    async with transaction(pool) as conn:
        return await edit_customer(
            conn, actor, customer_id, changes, region=region, expected_version=expected_version
        )


async def edit_customer(
    conn: Conn,
    actor: Actor,
    customer_id: UUID,
    changes: dict[str, Any],
    *,
    region: str,
    expected_version: str | None = None,
) -> Customer:
    """`update_customer` inside the caller's transaction (a service that changes more with the
    edit, such as the account's tasks, commits both at once)."""
    phones, emails = changes.pop("phones", None), changes.pop("emails", None)
    fields, account = _split_account(changes)
    (before,) = await _lock_one(conn, customer_id)
    if expected_version is not None and before.version() != expected_version:
        raise Conflict(
            "someone changed this card since you opened it; check it and save again",
            field="version",
        )
    await _change_account(conn, before, fields, account)
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
    old, new = audit.changed_fields(_audited(before), _audited(after))
    if new:
        await audit.record_change(
            conn, actor, "customer", customer_id, "updated", before=old, after=new
        )
        await live.publish(conn, Event.CUSTOMER_UPDATED, {"customer_id": customer_id})
    return after


def _audited(customer: Customer) -> dict[str, Any]:
    """What the customer's history records: the card, its identities and, for a personal
    account, the account's facts (a personal account has no history of its own)."""
    account = customer.account.fields() if customer.account.personal else {}
    return {**customer.card(), **account, "phones": customer.phones, "emails": customer.emails}


async def _change_account(
    conn: Conn, before: Customer, fields: dict[str, Any], account: dict[str, Any]
) -> None:
    """Settle `fields["organization_id"]` to the account row the customer ends in (or drop it
    when it stays), then write `account` to that account if it is personal."""
    account_id = before.account.organization_id
    personal = before.account.personal
    if "organization_id" in fields:
        wanted = fields.pop("organization_id")
        if wanted is None and not personal:
            name = fields.get("name", before.name)
            account_id, personal = await store.insert_personal_account(conn, name=name), True
            fields["organization_id"] = account_id
        elif wanted is not None and wanted != before.organization_id:
            org = await _real_organization(conn, wanted)
            account_id, personal = org.id, False
            fields["organization_id"] = account_id
    if not personal:
        _refuse_account_edit(await store.get_organization(conn, account_id), account)
        return
    if "name" in fields:
        account = {**account, "name": fields["name"]}  # a personal account is named after it
    await store.update_organization(conn, account_id, changes=account)


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
        return await search_store.search_customers(conn, query=query, after=after, limit=limit)


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


async def accounts_by_id(conn: Conn, account_ids: list[UUID]) -> dict[UUID, Account]:
    """Accounts by their own id (`Account.organization_id`); unknown ids are left out."""
    return {a.organization_id: a for a in await store.list_accounts(conn, account_ids)}


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


async def find_or_create_organization(
    conn: Conn, actor: Actor, name: str, account: dict[str, Any] | None = None
) -> UUID:
    """The organization of this name (never a personal account), created when unknown.
    `account` fields fill only those the organization leaves empty: its own values win."""
    given = clean_organization_fields(account or {})
    found = await store.find_organization_by_name(conn, name)
    if found is None:
        cleaned = clean_organization_fields({**given, "name": name})
        org_id = await store.insert_organization(conn, fields=cleaned)
        await audit.record_change(conn, actor, "organization", org_id, "created", after=cleaned)
        return org_id
    fills = empty_account_fields(found.card(), given)
    if fills:
        await store.update_organization(conn, found.id, changes=fills)
        before = {k: found.card()[k] for k in fills}
        await audit.record_change(
            conn, actor, "organization", found.id, "updated", before=before, after=fills
        )
    return found.id


# Account fields the visit plan reads: a change re-plans the manager (and the one before).
PLANNED_FIELDS = frozenset(
    {"tier", "is_key_account", "account_manager_id", "route_weekday", "latitude", "longitude"}
)


async def update_organization(
    pool: Pool, actor: Actor, org_id: UUID, changes: dict[str, Any]
) -> Organization:
    async with transaction(pool) as conn:
        return await edit_organization(conn, actor, org_id, changes)


async def edit_organization(
    conn: Conn, actor: Actor, org_id: UUID, changes: dict[str, Any]
) -> Organization:
    """`update_organization` inside the caller's transaction."""
    cleaned = clean_organization_fields(changes)
    before = await _listed_organization(conn, org_id)
    await store.update_organization(conn, org_id, changes=cleaned)
    after = await store.get_organization(conn, org_id)
    old, new = audit.changed_fields(before.card(), after.card())
    if new:
        await audit.record_change(
            conn, actor, "organization", org_id, "updated", before=old, after=new
        )
    if PLANNED_FIELDS & set(new):  # the visit plan follows the account's rules
        for manager_id in {before.account_manager_id, after.account_manager_id} - {None}:
            await jobs.enqueue_job(
                conn,
                VISIT_PLAN_TASK,
                str(manager_id),
                dedupe_key=f"{VISIT_PLAN_TASK}:{manager_id}",
            )
    return after


async def _listed_organization(conn: Conn, org_id: UUID) -> Organization:
    """A real organization; a personal account is reached through its customer only."""
    org = await store.get_organization(conn, org_id)
    if org.personal:
        raise NotFound("no such organization")
    return org


async def get_organization(pool: Pool, org_id: UUID) -> tuple[Organization, list[Customer]]:
    """An organization and its members (NotFound for a customer's personal account)."""
    async with pool.acquire() as conn:
        org = await _listed_organization(conn, org_id)
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

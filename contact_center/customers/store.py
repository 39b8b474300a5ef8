"""SQL for customers, organizations, identities and merge records. The only module touching them.

Column names in dynamic statements come from the fixed field lists in model.py, never from input.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg

from contact_center.customers.model import (
    CUSTOMER_FIELDS,
    ORGANIZATION_FIELDS,
    Account,
    Customer,
    Identity,
    IdentityKind,
    Organization,
)
from contact_center.db import Conn
from contact_center.errors import Conflict, Invalid, NotFound

# A customer is always read with its account (alias o): the organization, or its personal
# account. `organization_id` names a real organization only; the account says which row it is.
ACCOUNT_COLUMNS = """
o.id AS account_organization_id, o.tier AS account_tier, o.is_key_account AS account_key_account,
o.account_manager_id AS account_account_manager_id,
o.route_territory AS account_route_territory, o.route_weekday AS account_route_weekday,
o.latitude AS account_latitude, o.longitude AS account_longitude,
o.lifecycle_stage AS account_lifecycle_stage, o.personal AS account_personal,
o.name AS account_name"""
CUSTOMER_COLUMNS = ", ".join(
    (
        "c.id",
        *(f"c.{name}" for name in CUSTOMER_FIELDS if name != "organization_id"),
        "CASE WHEN o.personal THEN NULL ELSE c.organization_id END AS organization_id",
        *(f"c.{name}" for name in ("sms_opted_out", "merged_into_id", "created_at", "updated_at")),
        ACCOUNT_COLUMNS,
    )
)
WITH_ACCOUNT = "customers c JOIN organizations o ON o.id = c.organization_id"
ORGANIZATION_COLUMNS = ", ".join(
    ("id", *ORGANIZATION_FIELDS, "created_at", "updated_at", "personal")
)

GET_CUSTOMER = f"SELECT {CUSTOMER_COLUMNS} FROM {WITH_ACCOUNT} WHERE c.id = $1"
# Locks the customer rows only: their accounts are locked by whoever changes them.
LOCK_CUSTOMERS = f"""
SELECT {CUSTOMER_COLUMNS} FROM {WITH_ACCOUNT} WHERE c.id = ANY($1) ORDER BY c.id FOR UPDATE OF c
"""
LIST_IDENTITIES = """
SELECT id, customer_id, kind, value, bouncing_since FROM customer_identities
WHERE customer_id = ANY($1) ORDER BY kind, created_at, value
"""
# Finds the owner of a phone/email with its account, and takes the customer's intake lock in the
# same round trip. Statements after this one see everything committed before the lock was granted.
FIND_AND_LOCK_BY_IDENTITY = """
SELECT c.id, CASE WHEN o.personal THEN NULL ELSE c.organization_id END AS organization_id,
       c.name, c.language, c.sms_opted_out, o.is_key_account AS key_account,
       pg_advisory_xact_lock(hashtextextended('customer:' || c.id::text, 0))::text AS locked
FROM customer_identities i
JOIN customers c ON c.id = i.customer_id
JOIN organizations o ON o.id = c.organization_id
WHERE i.kind = $1 AND i.value = $2
"""
# The identity goes in first: if another transaction is inserting the same value, this one waits
# for it and then inserts nothing, so one phone or email never gets two customers. The foreign
# keys are checked at the end of the statement, after the customer and its personal account
# exist.
INSERT_CUSTOMER_FOR_IDENTITY = """
WITH i AS (
    INSERT INTO customer_identities (customer_id, kind, value) VALUES ($1, $2, $3)
    ON CONFLICT (kind, value) DO NOTHING RETURNING customer_id
), a AS (
    INSERT INTO organizations (name, personal) SELECT $4, true FROM i RETURNING id
), c AS (
    INSERT INTO customers (id, name, organization_id) SELECT i.customer_id, $4, a.id FROM i, a
    RETURNING id
)
SELECT id FROM c
"""
INSERT_IDENTITY = """
INSERT INTO customer_identities (customer_id, kind, value) VALUES ($1, $2, $3)
ON CONFLICT (kind, value) DO NOTHING RETURNING id
"""
DELETE_IDENTITY = (
    "DELETE FROM customer_identities WHERE id = $1 AND customer_id = $2 RETURNING kind, value"
)
FIND_BY_IDENTITY = "SELECT customer_id FROM customer_identities WHERE kind = $1 AND value = $2"
MOVE_IDENTITIES = """
UPDATE customer_identities SET customer_id = $2 WHERE customer_id = $1 RETURNING id
"""
MARK_MERGED = "UPDATE customers SET merged_into_id = $2, updated_at = now() WHERE id = $1"
UNMARK_MERGED = "UPDATE customers SET merged_into_id = NULL, updated_at = now() WHERE id = $1"
RESTORE_IDENTITIES = "UPDATE customer_identities SET customer_id = $2 WHERE id = ANY($1)"
INSERT_MERGE = """
INSERT INTO customer_merges (survivor_id, merged_id, moved_identity_ids, moved_ticket_ids, actor_id,
                             filled_fields)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
"""
FIND_MERGE = """
SELECT id, survivor_id, merged_id, moved_identity_ids, moved_ticket_ids, filled_fields,
       actor_id, merged_at
FROM customer_merges
WHERE merged_id = $1 ORDER BY merged_at DESC LIMIT 1
"""
ACCOUNT_OF = f"SELECT {ACCOUNT_COLUMNS} FROM {WITH_ACCOUNT} WHERE c.id = $1"
INSERT_PERSONAL_ACCOUNT = (
    "INSERT INTO organizations (name, personal) VALUES ($1, true) RETURNING id"
)
# Answers the value before the change, for the audit trail.
SET_SMS_OPT_OUT = """
UPDATE customers c SET sms_opted_out = $2, updated_at = now()
FROM (SELECT id, sms_opted_out FROM customers WHERE id = $1 FOR UPDATE) AS old
WHERE c.id = old.id RETURNING old.sms_opted_out
"""
PHONE_OPTED_OUT = """
SELECT c.sms_opted_out FROM customer_identities i JOIN customers c ON c.id = i.customer_id
WHERE i.kind = 'phone' AND i.value = $1
"""

GET_ORGANIZATION = f"SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE id = $1"
FIND_ORGANIZATION_BY_NAME = f"""
SELECT {ORGANIZATION_COLUMNS} FROM organizations WHERE lower(name) = lower($1) AND NOT personal
ORDER BY created_at, id LIMIT 1
"""
# Personal accounts are reached through their customer, never listed as organizations.
LIST_ORGANIZATIONS = f"""
SELECT {ORGANIZATION_COLUMNS} FROM organizations
WHERE NOT personal
  AND ($1::text IS NULL OR name ILIKE $1) AND ($2::text IS NULL OR tier = $2)
  AND ($3::boolean IS NULL OR is_key_account = $3)
  AND ($4::text IS NULL OR (name, id::text) > ($4, $5))
ORDER BY name, id::text LIMIT $6
"""
LIST_ORGANIZATION_MEMBERS = f"""
SELECT {CUSTOMER_COLUMNS} FROM {WITH_ACCOUNT}
WHERE c.organization_id = $1 AND c.merged_into_id IS NULL
ORDER BY c.name
"""


def _account(row: Any) -> Account:
    prefix = "account_"
    return Account(**{k[len(prefix) :]: v for k, v in dict(row).items() if k.startswith(prefix)})


def _customer(row: Any, identities: list[Identity]) -> Customer:
    card = {k: v for k, v in dict(row).items() if not k.startswith("account_")}
    return Customer(**card, account=_account(row), identities=identities)


def _identity(row: Any) -> Identity:
    return Identity(
        id=row["id"],
        kind=IdentityKind(row["kind"]),
        value=row["value"],
        bouncing_since=row["bouncing_since"],
    )


def _translate(exc: asyncpg.PostgresError) -> Exception:
    """A constraint violation caused by a user-supplied value names the field: a reference to
    a missing object is NotFound, any other refusal Invalid. Constraints are named
    `<table>_<column>_fkey` / `<table>_<column>_check`."""
    table = str(getattr(exc, "table_name", "") or "")
    constraint = str(getattr(exc, "constraint_name", "") or "")
    field = constraint.removeprefix(f"{table}_").removesuffix("_fkey").removesuffix("_check")
    if isinstance(exc, asyncpg.ForeignKeyViolationError):
        return NotFound(f"{field} does not exist", field=field)
    return Invalid(f"value refused by {constraint}", field=field)


async def with_identities(conn: Conn, rows: list[Any]) -> list[Customer]:
    ids = [r["id"] for r in rows]
    by_customer: dict[UUID, list[Identity]] = {i: [] for i in ids}
    for r in await conn.fetch(LIST_IDENTITIES, ids) if ids else []:
        by_customer[r["customer_id"]].append(_identity(r))
    return [_customer(r, by_customer[r["id"]]) for r in rows]


# The two card tables and the columns a caller may write; names never come from input.
CARD_TABLES = {"customers": CUSTOMER_FIELDS, "organizations": ORGANIZATION_FIELDS}


async def _insert_card(conn: Conn, table: str, fields: dict[str, Any]) -> UUID:
    columns = [c for c in CARD_TABLES[table] if c in fields]
    placeholders = ", ".join(f"${n}" for n in range(1, len(columns) + 1))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders}) RETURNING id"
    try:
        new_id: UUID = await conn.fetchval(sql, *(fields[c] for c in columns))
    except (asyncpg.ForeignKeyViolationError, asyncpg.CheckViolationError) as exc:
        raise _translate(exc) from exc
    return new_id


async def _update_card(conn: Conn, table: str, row_id: UUID, changes: dict[str, Any]) -> None:
    columns = [c for c in CARD_TABLES[table] if c in changes]
    if not columns:
        return
    sets = ", ".join(f"{c} = ${n}" for n, c in enumerate(columns, start=2))
    sql = f"UPDATE {table} SET {sets}, updated_at = now() WHERE id = $1"
    try:
        await conn.execute(sql, row_id, *(changes[c] for c in columns))
    except (asyncpg.ForeignKeyViolationError, asyncpg.CheckViolationError) as exc:
        raise _translate(exc) from exc


async def insert_customer(conn: Conn, *, fields: dict[str, Any]) -> UUID:
    return await _insert_card(conn, "customers", fields)


async def update_customer(conn: Conn, customer_id: UUID, *, changes: dict[str, Any]) -> None:
    await _update_card(conn, "customers", customer_id, changes)


async def get_customer(conn: Conn, customer_id: UUID) -> Customer:
    row = await conn.fetchrow(GET_CUSTOMER, customer_id)
    if row is None:
        raise NotFound("no such customer")
    return (await with_identities(conn, [row]))[0]


async def lock_customers(conn: Conn, customer_ids: list[UUID]) -> list[Customer]:
    """Row-lock the customers in id order, so two merges never deadlock; missing ids are skipped."""
    return await with_identities(conn, list(await conn.fetch(LOCK_CUSTOMERS, customer_ids)))


async def find_and_lock_by_identity(
    conn: Conn, kind: IdentityKind, value: str
) -> dict[str, Any] | None:
    """Id, account and contact preferences of the owner of this identity, or None.

    Holds the customer's intake lock until the transaction ends, so two contacts from one
    customer are placed one after the other.
    """
    row = await conn.fetchrow(FIND_AND_LOCK_BY_IDENTITY, str(kind), value)
    return None if row is None else dict(row)


async def insert_customer_for_identity(
    conn: Conn, customer_id: UUID, kind: IdentityKind, value: str, *, name: str
) -> bool:
    """Create a customer owning this identity. False when the identity already has an owner."""
    created = await conn.fetchval(INSERT_CUSTOMER_FOR_IDENTITY, customer_id, str(kind), value, name)
    return created is not None


async def insert_identity(
    conn: Conn, customer_id: UUID, kind: IdentityKind, value: str, *, field: str
) -> UUID:
    """Raises Conflict (naming `field`) when the value already belongs to a customer."""
    identity_id: UUID | None = await conn.fetchval(INSERT_IDENTITY, customer_id, str(kind), value)
    if identity_id is None:
        raise Conflict(f"{value} already belongs to another customer", field=field)
    return identity_id


async def delete_identity(conn: Conn, customer_id: UUID, identity_id: UUID) -> tuple[str, str]:
    row = await conn.fetchrow(DELETE_IDENTITY, identity_id, customer_id)
    if row is None:
        raise NotFound("no such identity on this customer")
    return row["kind"], row["value"]


async def find_by_identity(conn: Conn, kind: IdentityKind, value: str) -> UUID | None:
    """The customer owning this phone or email, without locking anything."""
    found: UUID | None = await conn.fetchval(FIND_BY_IDENTITY, str(kind), value)
    return found


async def move_identities(conn: Conn, from_id: UUID, to_id: UUID) -> list[UUID]:
    return [r["id"] for r in await conn.fetch(MOVE_IDENTITIES, from_id, to_id)]


async def restore_identities(conn: Conn, identity_ids: list[UUID], to_id: UUID) -> None:
    await conn.execute(RESTORE_IDENTITIES, identity_ids, to_id)


async def mark_merged(conn: Conn, merged_id: UUID, survivor_id: UUID) -> None:
    await conn.execute(MARK_MERGED, merged_id, survivor_id)


async def unmark_merged(conn: Conn, customer_id: UUID) -> None:
    await conn.execute(UNMARK_MERGED, customer_id)


async def insert_merge(
    conn: Conn,
    *,
    survivor_id: UUID,
    merged_id: UUID,
    identity_ids: list[UUID],
    ticket_ids: list[UUID],
    actor_id: UUID | None,
    filled_fields: dict[str, Any],
) -> UUID:
    merge_id: UUID = await conn.fetchval(
        INSERT_MERGE, survivor_id, merged_id, identity_ids, ticket_ids, actor_id, filled_fields
    )
    return merge_id


async def find_merge(conn: Conn, merged_id: UUID) -> dict[str, Any] | None:
    row = await conn.fetchrow(FIND_MERGE, merged_id)
    return None if row is None else dict(row)


async def set_sms_opt_out(conn: Conn, customer_id: UUID, opted_out: bool) -> bool:
    """Set the flag; returns what it was."""
    return bool(await conn.fetchval(SET_SMS_OPT_OUT, customer_id, opted_out))


async def phone_opted_out(conn: Conn, phone: str) -> bool:
    return bool(await conn.fetchval(PHONE_OPTED_OUT, phone))


async def insert_organization(conn: Conn, *, fields: dict[str, Any]) -> UUID:
    return await _insert_card(conn, "organizations", fields)


async def update_organization(conn: Conn, org_id: UUID, *, changes: dict[str, Any]) -> None:
    await _update_card(conn, "organizations", org_id, changes)


async def find_organization(conn: Conn, org_id: UUID) -> Organization | None:
    row = await conn.fetchrow(GET_ORGANIZATION, org_id)
    return None if row is None else Organization(**dict(row))


async def get_organization(conn: Conn, org_id: UUID) -> Organization:
    found = await find_organization(conn, org_id)
    if found is None:
        raise NotFound("no such organization")
    return found


async def find_organization_by_name(conn: Conn, name: str) -> Organization | None:
    row = await conn.fetchrow(FIND_ORGANIZATION_BY_NAME, name)
    return None if row is None else Organization(**dict(row))


async def list_organizations(
    conn: Conn,
    *,
    pattern: str | None,
    tier: str | None,
    key_account: bool | None,
    after: tuple[str, str] | None,
    limit: int,
) -> list[Organization]:
    after_name, after_id = after if after else (None, None)
    rows = await conn.fetch(
        LIST_ORGANIZATIONS, pattern, tier, key_account, after_name, after_id, limit
    )
    return [Organization(**dict(r)) for r in rows]


async def list_organization_members(conn: Conn, org_id: UUID) -> list[Customer]:
    return await with_identities(conn, list(await conn.fetch(LIST_ORGANIZATION_MEMBERS, org_id)))


async def account_of(conn: Conn, customer_id: UUID) -> Account:
    row = await conn.fetchrow(ACCOUNT_OF, customer_id)
    if row is None:
        raise NotFound("no such customer")
    return _account(row)


LIST_ACCOUNTS = f"SELECT {ACCOUNT_COLUMNS} FROM organizations o WHERE o.id = ANY($1::uuid[])"


async def list_accounts(conn: Conn, account_ids: list[UUID]) -> list[Account]:
    """These accounts (organizations or personal accounts), in no particular order."""
    return [_account(r) for r in await conn.fetch(LIST_ACCOUNTS, account_ids)]


async def insert_personal_account(conn: Conn, *, name: str) -> UUID:
    account_id: UUID = await conn.fetchval(INSERT_PERSONAL_ACCOUNT, name)
    return account_id


MARK_BOUNCING = """
UPDATE customer_identities SET bouncing_since = coalesce(bouncing_since, $2)
WHERE kind = 'email' AND value = ANY($1::text[])
"""


async def mark_emails_bouncing(conn: Conn, emails: list[str], at: datetime) -> None:
    await conn.execute(MARK_BOUNCING, emails, at)


LIST_CUSTOMERS_BY_ID = f"SELECT {CUSTOMER_COLUMNS} FROM {WITH_ACCOUNT} WHERE c.id = ANY($1)"


async def list_customers_by_id(conn: Conn, customer_ids: list[UUID]) -> list[Customer]:
    """These customers with their identities, in no particular order; unknown ids are skipped."""
    return await with_identities(conn, list(await conn.fetch(LIST_CUSTOMERS_BY_ID, customer_ids)))

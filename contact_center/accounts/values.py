"""Value import (API, CSV, CLI): idempotent by the sender's `source_id`. The same row again
changes nothing; changed figures update the entry (audited); a bad row is reported with its
line and reason and never stops the good ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from contact_center import audit, customers
from contact_center.accounts import store
from contact_center.accounts.model import ValueEntry
from contact_center.accounts.value_rows import ParsedRow, RawRow, RowRefused, parse, read_csv
from contact_center.audit import Actor
from contact_center.db import Pool, transaction

MAX_ROWS = 500_000  # a year of monthly revenue for 40,000 accounts
COMPARED = ("organization_id", "kind", "amount", "account_total", "occurred_on")


@dataclass(frozen=True)
class Rejected:
    line: int
    source_id: str
    reason: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, unchanged {self.unchanged},"
            f" rejected {len(self.rejected)}"
        )


async def import_csv(
    pool: Pool, actor: Actor, text: str, *, region: str, now: datetime
) -> ImportResult:
    return await import_rows(pool, actor, read_csv(text), region=region, now=now)


async def import_items(
    pool: Pool, actor: Actor, items: list[dict[str, Any]], *, region: str, now: datetime
) -> ImportResult:
    return await import_rows(
        pool, actor, [RawRow(n, item) for n, item in enumerate(items, 1)], region=region, now=now
    )


async def import_rows(
    pool: Pool, actor: Actor, rows: list[RawRow], *, region: str, now: datetime
) -> ImportResult:
    result = ImportResult()
    parsed: dict[str, ParsedRow] = {}
    for row in rows[:MAX_ROWS]:
        try:
            one = parse(row)
        except RowRefused as why:
            result.rejected.append(
                Rejected(row.line, str(row.fields.get("source_id", "")), str(why))
            )
            continue
        if one.source_id in parsed:
            result.rejected.append(
                Rejected(row.line, one.source_id, "source_id repeated in this import")
            )
            continue
        parsed[one.source_id] = one
    for row in rows[MAX_ROWS:]:
        result.rejected.append(Rejected(row.line, "", f"more than {MAX_ROWS} rows in one import"))
    async with transaction(pool) as conn:
        accounts = await customers.resolve_accounts(
            conn, sorted({p.account for p in parsed.values()}), region=region
        )
        entries: list[ValueEntry] = []
        for p in parsed.values():
            account = accounts.get(p.account)
            if account is None:
                result.rejected.append(
                    Rejected(p.line, p.source_id, f"no such account: {p.account}")
                )
                continue
            if isinstance(account, int):
                result.rejected.append(Rejected(p.line, p.source_id, f"matches {account} accounts"))
                continue
            entries.append(
                ValueEntry(
                    p.source_id,
                    account,
                    p.kind,
                    p.amount,
                    p.occurred_on,
                    p.account_total,
                )
            )
        existing = await store.values_by_source(conn, [e.source_id for e in entries])
        changed: list[ValueEntry] = []
        befores: list[dict[str, Any]] = []
        for entry in entries:
            old = existing.get(entry.source_id)
            now_values = _compared(entry)
            if old is None:
                result.created += 1
                changed.append(entry)
            elif {k: old[k] for k in COMPARED} == now_values:
                result.unchanged += 1
            else:
                result.updated += 1
                changed.append(entry)
                befores.append({k: old[k] for k in COMPARED})
        await store.upsert_values(conn, changed, now)
        updates = [e for e in changed if e.source_id in existing]
        await audit.record_changes(
            conn,
            actor,
            "account_value",
            [(e.source_id, "updated", _compared(e)) for e in updates],
            befores=befores,
            at=now,
        )
        if result.created:
            await audit.record_change(
                conn,
                actor,
                "account_value",
                "import",
                "created",
                after={"created": result.created},
                at=now,
            )
    result.rejected.sort(key=lambda r: r.line)
    return result


def _compared(entry: ValueEntry) -> dict[str, Any]:
    return {
        "organization_id": entry.organization_id,
        "kind": entry.kind.value,
        "amount": entry.amount,
        "account_total": entry.account_total,
        "occurred_on": entry.occurred_on,
    }

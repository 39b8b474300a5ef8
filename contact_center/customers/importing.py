"""CSV import of customers: each row all or nothing, a per-row error report, a progress bar."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from contact_center.audit import Actor
from contact_center.customers import service
from contact_center.customers.model import ACCOUNT_FIELDS, CUSTOMER_FIELDS, NewCustomer
from contact_center.db import Pool, transaction
from contact_center.errors import DomainError

LIST_SEPARATOR = ";"
BOOLEAN_WORDS = {
    "true": True,
    "yes": True,
    "1": True,
    "y": True,
    "false": False,
    "no": False,
    "0": False,
    "n": False,
    "": False,
}


@dataclass(frozen=True)
class RowError:
    line: int
    field: str | None
    message: str


@dataclass
class ImportReport:
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_file: Path | None = None

    def summary(self) -> str:
        text = f"imported {self.imported} customer(s), {len(self.errors)} row(s) refused"
        if self.error_file:
            text += f"; see {self.error_file}"
        return text


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]


def row_to_customer(row: dict[str, str]) -> tuple[NewCustomer, str]:
    """CSV text to typed values; returns the customer and its organization name (may be empty)."""
    fields: dict[str, Any] = {}
    for name, raw in row.items():
        if name is None or name in {"name", "phones", "emails", "organization"}:
            continue
        value = (raw or "").strip()
        if name not in (*CUSTOMER_FIELDS, *ACCOUNT_FIELDS) or name == "organization_id":
            raise DomainError("unknown column", field=name)
        if name == "is_key_account":
            if value.lower() not in BOOLEAN_WORDS:
                raise DomainError("must be yes or no", field=name)
            fields[name] = BOOLEAN_WORDS[value.lower()]
        elif name == "tags":
            fields[name] = _split(value)
        elif name == "route_weekday":
            fields[name] = int(value) if value.isdigit() else (None if not value else value)
        elif name in {"latitude", "longitude"}:
            try:
                fields[name] = float(value) if value else None
            except ValueError:
                raise DomainError("must be a number", field=name) from None
        elif name in {"tier", "birthday", "preferred_channel", "account_manager_id"}:
            fields[name] = value or None
        elif name == "lifecycle_stage":
            if value:
                fields[name] = value
        else:
            fields[name] = value
    new = NewCustomer(
        name=(row.get("name") or "").strip(),
        phones=_split(row.get("phones") or ""),
        emails=_split(row.get("emails") or ""),
        fields=fields,
    )
    return new, (row.get("organization") or "").strip()


async def import_customers_csv(
    pool: Pool, actor: Actor, path: Path, *, region: str, progress: bool = True
) -> ImportReport:
    """Import every row in its own transaction; a refused row leaves nothing behind.

    Columns: name, phones and emails (separated by `;`), organization (by name, created when
    new) and any info-card or account field. Account fields go to the customer's personal
    account, or fill those its organization leaves empty (the organization's values win).
    Refused rows go to `<file>.errors.csv` with the reason.
    """
    report = ImportReport()
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    for line, row in enumerate(tqdm(rows, unit="row", disable=not progress), start=2):
        try:
            new, organization = row_to_customer(row)
            async with transaction(pool) as conn:
                if organization:
                    account = {k: new.fields.pop(k) for k in ACCOUNT_FIELDS if k in new.fields}
                    org_id = await service.find_or_create_organization(
                        conn, actor, organization, account
                    )
                    new.fields["organization_id"] = org_id
                await service.insert_new_customer(conn, actor, new, region)
            report.imported += 1
        except DomainError as exc:
            report.errors.append(RowError(line, exc.field, exc.message))
    if report.errors:
        report.error_file = path.with_suffix(path.suffix + ".errors.csv")
        with report.error_file.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(["line", "field", "error"])
            writer.writerows((e.line, e.field or "", e.message) for e in report.errors)
    return report

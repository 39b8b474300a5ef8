"""Reading value rows as senders write them: CSV with or without a BOM, `,` or `;` between
fields, amounts with thousands separators or a decimal comma, a day or a month. Pure."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from contact_center.accounts.model import ValueKind
from contact_center.errors import Invalid

CURRENCY = "¥$€£￥ \u00a0'"
THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
MAX_AMOUNT = Decimal("99999999999999.99")


@dataclass(frozen=True)
class RawRow:
    line: int  # the CSV line (header = 1) or the JSON item's place (first = 1)
    fields: dict[str, Any]


@dataclass(frozen=True)
class ParsedRow:
    line: int
    source_id: str
    account: str
    kind: ValueKind
    amount: Decimal
    occurred_on: date
    account_total: Decimal | None


class RowRefused(ValueError):
    """Why one row cannot be taken; the others still are."""


def read_csv(text: str) -> list[RawRow]:
    """Rows of a CSV text keyed by its (lower-cased) header; the delimiter is guessed."""
    text = text.lstrip("\ufeff")
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
    rows = []
    try:
        for row in reader:
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            rows.append(RawRow(reader.line_num, {k: v for k, v in row.items() if k}))
    except csv.Error as exc:
        raise Invalid(
            f"the CSV cannot be read at line {reader.line_num}: {exc}", field="body"
        ) from None
    return rows


def amount_of(raw: Any, name: str) -> Decimal:
    if isinstance(raw, bool):
        raise RowRefused(f"{name} is not a number")
    if isinstance(raw, int | float):
        text = str(raw)
    elif isinstance(raw, str):
        text = raw.strip().strip(CURRENCY)
        if "," in text and "." in text:  # the last one is the decimal mark
            thousands = "," if text.rfind(",") < text.rfind(".") else "."
            text = text.replace(thousands, "").replace(",", ".")
        elif THOUSANDS.match(text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    else:
        raise RowRefused(f"{name} is missing")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise RowRefused(f"{name} is not a number: {raw!r}") from None
    if not value.is_finite() or abs(value) > MAX_AMOUNT:
        raise RowRefused(f"{name} is out of range: {raw!r}")
    return value.quantize(Decimal("0.01"))


def day_of(fields: dict[str, Any]) -> date:
    day, month = _text(fields.get("date")), _text(fields.get("month"))
    try:
        if day:
            return date.fromisoformat(day[:10])
        if month:
            year, mon = month.split("-")
            return date(int(year), int(mon), 1)
    except ValueError:
        raise RowRefused(f"not a date (YYYY-MM-DD) or month (YYYY-MM): {day or month!r}") from None
    raise RowRefused("date or month is missing")


def parse(row: RawRow) -> ParsedRow:
    f = row.fields
    source_id, account = _text(f.get("source_id")), _text(f.get("account"))
    if not source_id:
        raise RowRefused("source_id is missing")
    if len(source_id) > 200:
        raise RowRefused("source_id is longer than 200 characters")
    if not account:
        raise RowRefused("account is missing")
    try:
        kind = ValueKind(_text(f.get("kind")).lower())
    except ValueError:
        raise RowRefused("kind must be transaction or monthly_revenue") from None
    day = day_of(f)
    if kind is ValueKind.MONTHLY_REVENUE:
        day = day.replace(day=1)
    total_raw = f.get("account_total")
    total = None if total_raw in (None, "") else amount_of(total_raw, "account_total")
    if total is not None and total < 0:
        raise RowRefused("account_total must not be negative")
    return ParsedRow(
        row.line, source_id, account, kind, amount_of(f.get("amount"), "amount"), day, total
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""

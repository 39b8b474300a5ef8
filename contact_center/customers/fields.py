"""Checking and converting info-card field values from JSON-like input. Pure."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from contact_center.customers.model import (
    ACCOUNT_FIELDS,
    CUSTOMER_FIELDS,
    ORGANIZATION_FIELDS,
    LifecycleStage,
    Tier,
)
from contact_center.errors import Invalid

TEXT_FIELDS = {
    "name",
    "job_title",
    "address",
    "area",
    "company_size",
    "potential",
    "business_status",
    "transaction_status",
    "preferences",
    "language",
    "notes",
    "route_territory",
}
MAX_TEXT = 10_000


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise Invalid("must be text", field=name)
    text: str = value.replace("\x00", "").strip()
    if len(text) > MAX_TEXT:
        raise Invalid(f"longer than {MAX_TEXT} characters", field=name)
    return text


def _uuid(name: str, value: Any) -> UUID | None:
    if value is None:
        return None
    try:
        return UUID(str(value))
    except ValueError:
        raise Invalid("not an id", field=name) from None


def _number(name: str, value: Any, low: float, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise Invalid(f"must be a number between {low} and {high}", field=name)
    return float(value)


def _one(name: str, value: Any) -> Any:
    if name in TEXT_FIELDS:
        return _text(name, value)
    if name in {"organization_id", "account_manager_id"}:
        return _uuid(name, value)
    if name == "tier":
        if value is None:
            return None
        if value not in {t.value for t in Tier}:
            raise Invalid("tier must be A, B or C", field=name)
        return value
    if name == "lifecycle_stage":
        if value not in {s.value for s in LifecycleStage}:
            raise Invalid("must be prospect, customer, dormant or lost", field=name)
        return value
    if name == "preferred_channel":
        if value not in {None, "voice", "sms", "email"}:
            raise Invalid("must be voice, sms or email", field=name)
        return value
    if name == "is_key_account":
        if not isinstance(value, bool):
            raise Invalid("must be true or false", field=name)
        return value
    if name == "route_weekday":
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # JSON has one number type: 4.0 is the integer 4
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 7:
            raise Invalid("must be a weekday number, 1 (Monday) to 7 (Sunday)", field=name)
        return value
    if name == "latitude":
        return _number(name, value, -90, 90)
    if name == "longitude":
        return _number(name, value, -180, 180)
    if name == "birthday":
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise Invalid("must be a date like 1980-04-30", field=name) from None
    if name == "tags":
        if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
            raise Invalid("must be a list of text tags", field=name)
        return sorted({t.strip() for t in value if t.strip()})
    raise Invalid("unknown field", field=name)


def clean_fields(raw: dict[str, Any], *, allowed: tuple[str, ...]) -> dict[str, Any]:
    """Checked, converted copies of the given fields; raises Invalid naming the first bad one."""
    cleaned = {}
    for name, value in raw.items():
        if name not in allowed:
            raise Invalid("unknown field", field=name)
        cleaned[name] = _one(name, value)
    if "name" in cleaned and not cleaned["name"]:
        raise Invalid("must not be empty", field="name")
    return cleaned


def clean_customer_fields(raw: dict[str, Any]) -> dict[str, Any]:
    return clean_fields(raw, allowed=CUSTOMER_FIELDS)


def clean_organization_fields(raw: dict[str, Any]) -> dict[str, Any]:
    return clean_fields(raw, allowed=ORGANIZATION_FIELDS)


def _unset(value: Any) -> bool:
    return value is None or value == "" or value is False


def empty_account_fields(current: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    """The given account values for the fields an account leaves empty: the account's own
    values win (the rule migration 0027 applied). The route and the coordinates are pairs,
    filled together or not at all; the lifecycle stage always has a value."""
    pairs = (("route_territory", "route_weekday"), ("latitude", "longitude"))
    fills = {
        name: given[name]
        for name in ACCOUNT_FIELDS
        if name in given and not _unset(given[name]) and _unset(current.get(name))
    }
    fills.pop("lifecycle_stage", None)
    for pair in pairs:
        if not all(_unset(current.get(name)) for name in pair):
            for name in pair:
                fills.pop(name, None)
        elif any(name in fills for name in pair):
            fills.update({name: given.get(name, fills.get(name)) for name in pair})
    return fills

"""Checks shared by the settings modules (`site.rules`, `site.account_rules`). Pure.

Each returns the value as given or raises Invalid whose `field` names the wrong part.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from contact_center.errors import Invalid
from contact_center.i18n import gettext as _


def check_object(value: Any, field: str, keys: tuple[str, ...]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise Invalid(_("{field} must be an object").format(field=field), field=field)
    unknown = sorted(set(value) - set(keys))
    if unknown:
        raise Invalid(
            _("{field}: {name!r} is not known; use {known}").format(
                field=field, name=unknown[0], known=", ".join(keys)
            ),
            field=f"{field}.{unknown[0]}",
        )
    return value


def check_int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Invalid(
            _("{field} must be a whole number from {low} to {high}").format(
                field=field, low=low, high=high
            ),
            field=field,
        )
    return value

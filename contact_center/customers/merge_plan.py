"""What a merge does to the surviving card, decided from the two cards alone. Pure.

The survivor keeps every value it has. A field it leaves empty takes the merged card's value;
tags are united. Where both cards hold different values the survivor's wins, and the other
value stays on the merged card (never deleted), so undoing the merge loses nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from contact_center.customers.model import CUSTOMER_FIELDS, Customer

# Fields a merge never copies: the merged card's organization may be the reason for merging
# into a card of another one, so it is shown as a conflict but never filled in silently.
NOT_FILLED = frozenset({"organization_id"})


@dataclass(frozen=True)
class FieldConflict:
    field: str
    survivor: Any
    other: Any
    winner: str = "survivor"  # which value the surviving card keeps


@dataclass(frozen=True)
class CardPlan:
    fills: dict[str, Any] = field(default_factory=dict)  # field → value taken from the other card
    conflicts: list[FieldConflict] = field(default_factory=list)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False


def plan_card(survivor: Customer, merged: Customer) -> CardPlan:
    fills: dict[str, Any] = {}
    conflicts: list[FieldConflict] = []
    for name in CUSTOMER_FIELDS:
        mine, theirs = getattr(survivor, name), getattr(merged, name)
        if name == "tags":
            united = sorted({*mine, *theirs})  # stored sorted, as fields.py cleans them
            if united != sorted(mine):
                fills[name] = united
        elif _empty(theirs) or mine == theirs:
            continue
        elif _empty(mine) and name not in NOT_FILLED:
            fills[name] = theirs
        else:
            conflicts.append(FieldConflict(name, mine, theirs))
    return CardPlan(fills, conflicts)

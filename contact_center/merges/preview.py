"""What a merge would move, read without changing anything, through the merge's own checks
and card plan (customers.merging), so the preview and the merge cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from contact_center import tickets
from contact_center.customers import Customer, merging
from contact_center.db import Pool, transaction


@dataclass(frozen=True)
class MergePreview:
    survivor: Customer
    merged: Customer
    ticket_numbers: list[int]  # the other card's tickets, which move to the survivor
    phones: list[str]  # the other card's phones, which move
    emails: list[str]
    fills: dict[str, Any] = field(default_factory=dict)  # empty survivor fields filled in
    conflicts: list[merging.FieldConflict] = field(default_factory=list)  # the survivor wins


async def preview_merge(pool: Pool, survivor_id: UUID, merged_id: UUID) -> MergePreview:
    """Raises what `merge_customers` would raise (NotFound, Conflict) for the same pair."""
    async with transaction(pool) as conn:  # one snapshot for cards and tickets, no locks
        survivor, merged = await merging.check_pair(conn, survivor_id, merged_id, lock=False)
        numbers = await tickets.customer_ticket_numbers(conn, merged.id)
    card = merging.plan(survivor, merged)
    return MergePreview(
        survivor=survivor,
        merged=merged,
        ticket_numbers=numbers,
        phones=merged.phones,
        emails=merged.emails,
        fills=card.fills,
        conflicts=card.conflicts,
    )

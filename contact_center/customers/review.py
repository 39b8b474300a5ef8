"""Suggested duplicates to review: find candidate pairs a slice at a time, score them, and
remember the pairs an agent dismissed."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from contact_center import audit
from contact_center.audit import Actor
from contact_center.customers import duplicates_store, store
from contact_center.customers.duplicates import ROLE_MAILBOXES, Suggestion, score_pair
from contact_center.customers.model import Customer
from contact_center.db import Pool, transaction
from contact_center.errors import Conflict

SLICE = 500  # customers scanned per statement
MAX_SCAN = 5000  # customers scanned per page at most, however few suggestions they hold


@dataclass(frozen=True)
class SuggestionPage:
    """Suggestions among the customers scanned for this page, best first, with both cards.

    `next_after` is the last customer id scanned (the cursor of the next page), None at the
    end. A page may hold fewer suggestions than asked for, or more (a slice is never split).
    """

    suggestions: list[Suggestion]
    customers: dict[UUID, Customer]
    next_after: UUID | None


async def list_duplicate_suggestions(
    pool: Pool, *, after: UUID | None = None, limit: int = 50
) -> SuggestionPage:
    found: list[Suggestion] = []
    cards: dict[UUID, Customer] = {}
    scanned, cursor = 0, after
    async with pool.acquire() as conn:
        while len(found) < limit and scanned < MAX_SCAN:
            pairs, last = await duplicates_store.list_candidate_pairs(
                conn, after=cursor, slice_size=SLICE, role_mailboxes=sorted(ROLE_MAILBOXES)
            )
            if last is None:
                cursor = None
                break
            scanned, cursor = scanned + SLICE, last
            missing = {i for pair in pairs for i in pair} - cards.keys()
            cards.update({c.id: c for c in await store.list_customers_by_id(conn, list(missing))})
            found += [s for a, b in pairs if (s := score_pair(cards[a], cards[b])) is not None]
    found.sort(key=lambda s: (-s.score, str(s.a), str(s.b)))
    used = {i for s in found for i in (s.a, s.b)}
    return SuggestionPage(found, {i: c for i, c in cards.items() if i in used}, cursor)


async def dismiss_duplicate(pool: Pool, actor: Actor, a: UUID, b: UUID) -> None:
    """These two cards are not one person: never suggest the pair again (audited on both)."""
    if a == b:
        raise Conflict("a customer is not a duplicate of itself", field="b")
    first, second = sorted((a, b))
    async with transaction(pool) as conn:
        if await duplicates_store.insert_dismissal(conn, first, second, actor_id=actor.user_id):
            for one, other in ((first, second), (second, first)):
                await audit.record_change(
                    conn, actor, "customer", one, "duplicate_dismissed", after={"other": other}
                )

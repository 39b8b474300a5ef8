"""The inbox as values and SQL fragments: views, filters, sorts and cursors. Pure: no I/O.

`inbox_store.py` joins these fragments into statements; every value goes in as a numbered
parameter. The inbox shows active tickets only (new, open, pending), so each statement starts
from the predicate of the partial indexes in migration 0020. The customer's account (tier, key
account) is read from the ticket's own copy, which the triggers of migration 0025 keep exact.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from contact_center.errors import Invalid
from contact_center.tickets.model import ACTIVE_STATUSES, Channel, Kind, Priority, Status

ACTIVE_SQL = "t.status IN ('new', 'open', 'pending')"
# overdue.is_overdue in SQL (due_at NULL: never overdue); $now is the parameter given.
OVERDUE_SQL = (
    "(t.status IN ('new', 'open') AND t.first_response_at IS NULL"
    " AND t.due_at IS NOT NULL AND {now} > t.due_at)"
)
# Most urgent first: urgent = 1 … low = 4.
PRIORITY_ORDER = (Priority.URGENT, Priority.HIGH, Priority.NORMAL, Priority.LOW)
PRIORITY_RANK_SQL = "array_position(ARRAY['urgent', 'high', 'normal', 'low']::text[], t.priority)"
DUE_KEY_SQL = "coalesce(t.due_at, 'infinity'::timestamptz)"


class View(StrEnum):
    MINE = "mine"  # assigned to me
    QUEUES = "queues"  # in the queues I work
    UNASSIGNED = "unassigned"
    OPEN = "open"  # every active ticket


class Sort(StrEnum):
    ACTIVITY = "activity"  # last message, newest first (the default)
    OLDEST = "oldest"  # opened longest ago first
    PRIORITY = "priority"  # most urgent first, then oldest
    DUE = "due"  # first response due soonest first; tickets with no due time last


@dataclass(frozen=True)
class InboxFilter:
    """What the agent asked to see; the empty lists and None mean "any"."""

    view: View = View.OPEN
    status: list[Status] = field(default_factory=list)
    kind: list[Kind] = field(default_factory=list)
    channel: list[Channel] = field(default_factory=list)
    queue: list[str] = field(default_factory=list)
    tier: str | None = None
    key_account: bool | None = None
    tag: str | None = None
    overdue: bool | None = None
    sort: Sort = Sort.ACTIVITY


@dataclass(frozen=True)
class Viewer:
    """Whose inbox: "mine" and "my queues" depend on it."""

    user_id: UUID
    queues: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class InboxPerson:
    id: UUID
    name: str


@dataclass(frozen=True)
class InboxCustomer:
    id: UUID
    name: str
    tier: str | None
    is_key_account: bool


@dataclass(frozen=True)
class InboxRow:
    """One line of the inbox."""

    id: UUID
    number: int
    subject: str
    status: Status
    priority: Priority
    kind: Kind
    channel: Channel
    queue: str
    tags: list[str]
    assignee: InboxPerson | None
    customer: InboxCustomer
    last_message_at: datetime
    created_at: datetime
    due_at: datetime | None
    overdue: bool


@dataclass(frozen=True)
class InboxCounts:
    mine: int
    queues: int
    unassigned: int
    open: int


@dataclass(frozen=True)
class SortSpec:
    keys: tuple[str, ...]  # SQL expressions, before the id that breaks ties
    casts: tuple[str, ...]  # parameter types of the cursor's key values
    descending: bool

    @property
    def order_by(self) -> str:
        way = " DESC" if self.descending else ""
        return ", ".join(f"{k}{way}" for k in (*self.keys, "t.id"))


SORTS: dict[Sort, SortSpec] = {
    Sort.ACTIVITY: SortSpec(("t.last_message_at",), ("timestamptz",), descending=True),
    Sort.OLDEST: SortSpec(("t.created_at",), ("timestamptz",), descending=False),
    Sort.PRIORITY: SortSpec(
        (PRIORITY_RANK_SQL, "t.created_at"), ("int", "timestamptz"), descending=False
    ),
    Sort.DUE: SortSpec((DUE_KEY_SQL,), ("timestamptz",), descending=False),
}


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last row's value of every sort key, and its id. It names a
    place in any of the sorts, so a cursor is never tied to the sort it was made with."""

    last_message_at: datetime
    created_at: datetime
    priority_rank: int
    due_at: datetime | None
    id: UUID

    def keys(self, sort: Sort) -> tuple[Any, ...]:
        """The values of `sort`'s key expressions (SORTS) at this place."""
        if sort is Sort.ACTIVITY:
            return (self.last_message_at,)
        if sort is Sort.OLDEST:
            return (self.created_at,)
        if sort is Sort.PRIORITY:
            return (self.priority_rank, self.created_at)
        return (self.due_at,)  # None stands for 'infinity' (see keyset_sql)


def cursor_after(row: InboxRow) -> Cursor:
    return Cursor(
        row.last_message_at,
        row.created_at,
        PRIORITY_ORDER.index(row.priority) + 1,
        row.due_at,
        row.id,
    )


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps(
        [
            cursor.last_message_at.isoformat(),
            cursor.created_at.isoformat(),
            cursor.priority_rank,
            cursor.due_at.isoformat() if cursor.due_at else None,
            str(cursor.id),
        ]
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(text: str) -> Cursor:
    """The cursor `encode_cursor` wrote; anything else is Invalid."""
    try:
        last, created, rank, due, row_id = json.loads(
            base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        )
        if not isinstance(rank, int) or isinstance(rank, bool) or not 1 <= rank <= 4:
            raise ValueError
        due_moment = None if due is None else _moment(due)
        return Cursor(_moment(last), _moment(created), rank, due_moment, UUID(row_id))
    except (ValueError, TypeError, AttributeError):
        raise Invalid("not a cursor returned by this API", field="cursor") from None


def _moment(value: Any) -> datetime:
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError
    return moment


class Params:
    """Numbered parameters for one statement: `add(v)` returns its placeholder."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def add(self, value: Any, cast: str = "") -> str:
        self.values.append(value)
        return f"${len(self.values)}" + (f"::{cast}" if cast else "")


def filter_sql(where: InboxFilter, params: Params, *, now: datetime) -> list[str]:
    """The conditions of the filters (not the view), each its own AND term."""
    terms = [ACTIVE_SQL]
    if where.status:
        terms.append(f"t.status = ANY({params.add([s.value for s in where.status], 'text[]')})")
    if where.kind:
        terms.append(f"t.kind = ANY({params.add([k.value for k in where.kind], 'text[]')})")
    if where.channel:
        terms.append(f"t.channel = ANY({params.add([c.value for c in where.channel], 'text[]')})")
    if where.queue:
        terms.append(f"t.queue = ANY({params.add(list(where.queue), 'text[]')})")
    if where.tier is not None:
        terms.append(f"t.account_tier = {params.add(where.tier, 'text')}")
    if where.key_account is not None:
        terms.append(f"t.account_key = {params.add(where.key_account, 'boolean')}")
    if where.tag is not None:
        terms.append(f"t.tags @> ARRAY[{params.add(where.tag, 'text')}]")
    if where.overdue is not None:
        overdue = OVERDUE_SQL.format(now=params.add(now, "timestamptz"))
        terms.append(overdue if where.overdue else f"NOT {overdue}")
    return terms


def view_sql(view: View, viewer: Viewer, params: Params) -> str | None:
    if view is View.MINE:
        return f"t.assignee_id = {params.add(viewer.user_id, 'uuid')}"
    if view is View.QUEUES:
        return f"t.queue = ANY({params.add(list(viewer.queues), 'text[]')})"
    if view is View.UNASSIGNED:
        return "t.assignee_id IS NULL"
    return None


def keyset_sql(sort: Sort, cursor: Cursor, params: Params) -> str:
    """Rows strictly after the cursor in the sort's order (ties broken by id)."""
    spec = SORTS[sort]
    placeholders = []
    for key, value, cast in zip(spec.keys, cursor.keys(sort), spec.casts, strict=True):
        holder = params.add(value, cast)
        placeholders.append(f"coalesce({holder}, 'infinity')" if key == DUE_KEY_SQL else holder)
    placeholders.append(params.add(cursor.id, "uuid"))
    way = "<" if spec.descending else ">"
    return f"({', '.join((*spec.keys, 't.id'))}) {way} ({', '.join(placeholders)})"


def counts_sql(viewer: Viewer, params: Params) -> str:
    """The four views' counts as one pass over the filtered active tickets."""
    mine = view_sql(View.MINE, viewer, params)
    queues = view_sql(View.QUEUES, viewer, params)
    return (
        f"count(*) FILTER (WHERE {mine}) AS mine, count(*) FILTER (WHERE {queues}) AS queues,"
        " count(*) FILTER (WHERE t.assignee_id IS NULL) AS unassigned, count(*) AS open"
    )


def check_filter(where: InboxFilter) -> None:
    """The inbox lists active tickets only; resolved and closed ones are found by search."""
    for status in where.status:
        if status not in ACTIVE_STATUSES:
            raise Invalid("the inbox shows new, open and pending tickets", field="status")

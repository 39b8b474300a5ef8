"""The site settings read once per transaction: inside `settings_once(conn)`, `site.load(conn)`
and `site.business_calendar(conn, ...)` read and build once and hand the same values to every
step of the work (a complaint's intake reads them for the classifier, each clock, each step
and the at-risk rule). A setting saved inside the block turns the memo off for the rest of it.

Scoped by a context variable (the task running the transaction) and the connection, so a read
outside the block, on another connection or in another task, always goes to the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from contact_center.db import Conn
from contact_center.site.model import SiteSettings
from contact_center.worktime import BusinessCalendar


@dataclass
class Memo:
    conn: Conn
    settings: SiteSettings | None = None
    calendars: dict[int, BusinessCalendar] = field(default_factory=dict)  # by site-local year
    written: bool = False


_MEMO: ContextVar[Memo | None] = ContextVar("site_settings_once", default=None)


@asynccontextmanager
async def settings_once(conn: Conn) -> AsyncIterator[None]:
    """Inside the caller's transaction on `conn`: the site settings are read at most once
    until the block ends (a nested block keeps the outer memo)."""
    current = _MEMO.get()
    if current is not None and current.conn is conn:
        yield
        return
    token = _MEMO.set(Memo(conn))
    try:
        yield
    finally:
        _MEMO.reset(token)


def memo_for(conn: Conn) -> Memo | None:
    """The memo to use for a read on `conn`, or None (read from the database)."""
    memo = _MEMO.get()
    if memo is None or memo.conn is not conn or memo.written:
        return None
    return memo


def settings_written(conn: Conn) -> None:
    """A setting was saved on `conn`: later reads in the block go to the database."""
    memo = _MEMO.get()
    if memo is not None and memo.conn is conn:
        memo.written = True

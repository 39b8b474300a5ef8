"""Logging in: throttle, check the password off the event loop, open a session.

No transaction is open while the password is checked: the attempt is charged to its throttle
counters in one short transaction, checked in the hashing threads, and its outcome written in
another short transaction. At most DATABASE_SLOTS logins use a database connection at once: a
burst of logins for one account queues on that account's counter row, and without the bound it
would hold every pooled connection meanwhile, so that webhooks waited for one.
"""

from __future__ import annotations

import asyncio
import logging
import math
import weakref
from datetime import datetime, timedelta

from contact_center import audit
from contact_center.audit import Actor
from contact_center.db import Pool, transaction
from contact_center.errors import TooManyAttempts, Unauthorized
from contact_center.users import store
from contact_center.users.credentials import STANDARD, Passwords
from contact_center.users.model import Session
from contact_center.users.service import open_session
from contact_center.users.throttle import Scope, charge_attempt, counter_keys, refund_attempt

log = logging.getLogger("contact_center.users")
DATABASE_SLOTS = 2  # well below any pool size; logins are rare, so this costs them nothing
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


def _database_slot() -> asyncio.Semaphore:
    """This event loop's bound on logins holding a database connection (a semaphore is tied to
    the loop it is first used on)."""
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(DATABASE_SLOTS)
    return gate


BAD_LOGIN = "email or password is wrong"


async def log_in(
    pool: Pool,
    *,
    email: str,
    password: str,
    remote: str,
    now: datetime,
    ttl: timedelta,
    passwords: Passwords = STANDARD,
) -> Session:
    """Check a password and open a session. Known and unknown emails get the same answers.

    Raises TooManyAttempts (with the seconds to wait) while a throttle counter holds the
    attempt back, and Unauthorized for a wrong email or password.
    """
    email = email.strip().lower()
    keys = counter_keys(email, remote)
    async with _database_slot():
        charged = await _charge(pool, keys, remote=remote, now=now)
        async with pool.acquire() as conn:
            found = await store.find_user_by_email(conn, email)
    user, stored_hash = found if found else (None, None)
    if not await passwords.verify(stored_hash, password) or user is None or not user.active:
        async with _database_slot(), transaction(pool) as conn:
            await audit.record_change(conn, Actor(f"remote:{remote}"), "login", email, "failed")
        raise Unauthorized(BAD_LOGIN)
    assert stored_hash is not None
    new_hash = await passwords.hash(password) if passwords.needs_rehash(stored_hash) else None
    async with _database_slot(), transaction(pool) as conn:
        # The password may have changed while it was being checked: the old one opens nothing.
        if await store.lock_password_hash(conn, user.id) != stored_hash:
            raise Unauthorized(BAD_LOGIN)
        counters = await store.lock_throttles(conn, keys)
        await store.update_throttles(conn, refund_attempt(counters, charged, now))
        if new_hash is not None:
            await store.update_password(conn, user.id, new_hash)
        session = await open_session(conn, user, now=now, ttl=ttl)
        await audit.record_change(conn, Actor(user.email, user.id), "login", user.id, "ok")
    return session


async def _charge(
    pool: Pool, keys: list[tuple[Scope, str]], *, remote: str, now: datetime
) -> set[Scope]:
    """Count the attempt as a failure on each counter until it succeeds; refuse it, charging
    nothing, while a counter says wait. Returns the scopes charged."""
    async with transaction(pool) as conn:
        counters = await store.lock_throttles(conn, keys)
        decision = charge_attempt(counters, now)
        if not isinstance(decision, timedelta):
            await store.update_throttles(conn, decision)
            return {c.scope for c in decision}
    seconds = max(1, math.ceil(decision.total_seconds()))
    log.warning("security: login from %s held back for %d s by the throttle", remote, seconds)
    raise TooManyAttempts(f"too many failed logins; try again in {seconds} s", retry_after=seconds)

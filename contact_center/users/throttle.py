"""Login throttling decisions: how many failed logins each counter allows, and how long to wait.

Pure. Following OWASP's authentication guidance, failures slow further attempts down with
growing delays instead of locking an account that anyone could lock. Three counters are charged
for each attempt: the account from this address (the pair), the address, and the account from
every address. The account counter has the hard cap (at most 100 failures an hour, ASVS V2.2.1),
but an address that logged in to that account before is not held by it, so an attack from
elsewhere cannot lock the owner out of their usual place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

WINDOW = timedelta(hours=1)  # counts start again an hour after a window's first failure
TRUSTED_FOR = timedelta(days=30)  # how long a successful login exempts a pair from the cap
NO_WAIT = timedelta(0)


class Scope(StrEnum):
    PAIR = "pair"  # one account, from one address
    ACCOUNT = "account"  # one account, from anywhere
    ADDRESS = "address"  # one client address, whatever the account


@dataclass(frozen=True)
class Limit:
    free: int  # failures in a window before delays start
    max_delay: timedelta  # the delay doubles from one second up to this
    cap: int | None = None  # failures in a window after which attempts wait for its end


LIMITS = {
    Scope.PAIR: Limit(free=5, max_delay=timedelta(minutes=15)),
    Scope.ACCOUNT: Limit(free=100, max_delay=NO_WAIT, cap=100),
    Scope.ADDRESS: Limit(free=20, max_delay=timedelta(minutes=15)),
}


@dataclass(frozen=True)
class Counter:
    """One counter's row; an attempt in progress counts as a failure until it succeeds."""

    scope: Scope
    key: str
    failures: int = 0
    window_started_at: datetime | None = None
    next_attempt_at: datetime | None = None
    last_success_at: datetime | None = None


def counter_keys(email: str, address: str) -> list[tuple[Scope, str]]:
    """The counters of one attempt, in the order their rows are locked (always the same)."""
    return [
        (Scope.PAIR, f"{email}\n{address}"),
        (Scope.ACCOUNT, email),
        (Scope.ADDRESS, address),
    ]


def delay_after(failures: int, limit: Limit) -> timedelta:
    """The wait before the next attempt once `failures` failures are in the window."""
    beyond = failures - limit.free
    if beyond <= 0:
        return NO_WAIT
    return min(timedelta(seconds=2 ** min(beyond - 1, 20)), limit.max_delay)


def charge(counter: Counter, limit: Limit, now: datetime) -> Counter | timedelta:
    """The counter with one more failure charged, or how long to wait before trying."""
    if counter.window_started_at is None or counter.window_started_at <= now - WINDOW:
        counter = replace(counter, failures=0, window_started_at=now, next_attempt_at=None)
    assert counter.window_started_at is not None
    if limit.cap is not None and counter.failures >= limit.cap:
        return counter.window_started_at + WINDOW - now
    if counter.next_attempt_at is not None and counter.next_attempt_at > now:
        return counter.next_attempt_at - now
    failures = counter.failures + 1
    wait = delay_after(failures, limit)
    return replace(counter, failures=failures, next_attempt_at=now + wait if wait else None)


def is_trusted(pair: Counter, now: datetime) -> bool:
    return pair.last_success_at is not None and pair.last_success_at > now - TRUSTED_FOR


def charge_attempt(counters: list[Counter], now: datetime) -> list[Counter] | timedelta:
    """Charge every counter of an attempt, or refuse it (nothing charged) with the longest wait."""
    trusted = any(c.scope is Scope.PAIR and is_trusted(c, now) for c in counters)
    charged: list[Counter] = []
    waits: list[timedelta] = []
    for counter in counters:
        if counter.scope is Scope.ACCOUNT and trusted:
            continue
        result = charge(counter, LIMITS[counter.scope], now)
        if isinstance(result, timedelta):
            waits.append(result)
        else:
            charged.append(result)
    return max(waits) if waits else charged


def refund_attempt(counters: list[Counter], charged: set[Scope], now: datetime) -> list[Counter]:
    """After a successful login: the pair starts again and is trusted; the other counters
    that were charged for this attempt give that failure back."""
    refunded = []
    for counter in counters:
        if counter.scope not in charged:
            continue
        if counter.scope is Scope.PAIR:
            refunded.append(replace(counter, failures=0, next_attempt_at=None, last_success_at=now))
            continue
        failures = max(counter.failures - 1, 0)
        later = counter.next_attempt_at if failures > LIMITS[counter.scope].free else None
        refunded.append(replace(counter, failures=failures, next_attempt_at=later))
    return refunded

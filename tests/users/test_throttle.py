"""Login throttling decisions, without a database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contact_center.users.throttle import (
    LIMITS,
    WINDOW,
    Counter,
    Scope,
    charge,
    charge_attempt,
    counter_keys,
    delay_after,
    refund_attempt,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def fresh(email: str = "agent@example.com", address: str = "192.0.2.1") -> list[Counter]:
    return [Counter(scope, key) for scope, key in counter_keys(email, address)]


def test_delays_start_after_the_free_failures_and_double_up_to_a_ceiling() -> None:
    pair = LIMITS[Scope.PAIR]
    seconds = [delay_after(n, pair).total_seconds() for n in range(1, 18)]
    assert seconds[:5] == [0] * 5
    assert seconds[5:11] == [1, 2, 4, 8, 16, 32]
    assert seconds[-1] == 900 and max(seconds) == 900


def test_an_attempt_inside_the_delay_waits_and_charges_nothing() -> None:
    counter = Counter(Scope.PAIR, "k")
    for _ in range(6):
        charged = charge(counter, LIMITS[Scope.PAIR], NOW)
        assert isinstance(charged, Counter)
        counter = charged
    assert charge(counter, LIMITS[Scope.PAIR], NOW) == timedelta(seconds=1)
    later = charge(counter, LIMITS[Scope.PAIR], NOW + timedelta(seconds=1))
    assert isinstance(later, Counter) and later.failures == 7
    assert later.next_attempt_at == NOW + timedelta(seconds=3)


def test_the_account_cap_holds_until_the_window_ends() -> None:
    account = Counter(Scope.ACCOUNT, "a", failures=100, window_started_at=NOW)
    assert charge(account, LIMITS[Scope.ACCOUNT], NOW + timedelta(minutes=20)) == timedelta(
        minutes=40
    )
    again = charge(account, LIMITS[Scope.ACCOUNT], NOW + WINDOW)
    assert isinstance(again, Counter) and again.failures == 1


def test_a_refused_attempt_names_the_longest_wait_and_charges_nothing() -> None:
    pair, account, address = fresh()
    account = Counter(Scope.ACCOUNT, account.key, failures=100, window_started_at=NOW)
    assert charge_attempt([pair, account, address], NOW) == WINDOW


def test_an_address_that_logged_in_before_is_not_held_by_the_account_cap() -> None:
    pair, account, address = fresh()
    pair = Counter(Scope.PAIR, pair.key, last_success_at=NOW - timedelta(days=3))
    account = Counter(Scope.ACCOUNT, account.key, failures=100, window_started_at=NOW)
    charged = charge_attempt([pair, account, address], NOW)
    assert isinstance(charged, list)
    assert [c.scope for c in charged] == [Scope.PAIR, Scope.ADDRESS]


def test_a_success_clears_the_pair_and_gives_back_the_other_charges() -> None:
    charged = charge_attempt(fresh(), NOW)
    assert isinstance(charged, list)
    refunded = refund_attempt(charged, {c.scope for c in charged}, NOW)
    assert [(c.scope, c.failures) for c in refunded] == [
        (Scope.PAIR, 0),
        (Scope.ACCOUNT, 0),
        (Scope.ADDRESS, 0),
    ]
    assert refunded[0].last_success_at == NOW
    assert refund_attempt(charged, {Scope.PAIR}, NOW)[0].scope is Scope.PAIR
    assert len(refund_attempt(charged, {Scope.PAIR}, NOW)) == 1

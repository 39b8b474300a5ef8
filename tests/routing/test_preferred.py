"""The one preferred-agent rule: account manager, then the last agent, each once."""

from __future__ import annotations

from uuid import uuid4

from contact_center.routing import preferred_agents


def test_the_account_manager_comes_before_the_last_agent() -> None:
    manager, last = uuid4(), uuid4()
    assert preferred_agents(manager, last) == (manager, last)


def test_missing_ones_are_left_out_and_nobody_twice() -> None:
    someone = uuid4()
    assert preferred_agents(None, someone) == (someone,)
    assert preferred_agents(someone, None) == (someone,)
    assert preferred_agents(someone, someone) == (someone,)
    assert preferred_agents(None, None) == ()

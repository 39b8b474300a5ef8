"""The one rule for a customer's account on the console: the organization's tier, manager and
route stand in for missing ones, and either being a key account is enough."""

from dataclasses import fields
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from contact_center.customers import Customer, Organization, account_facts

NOW = datetime(2026, 3, 2, tzinfo=UTC)


def _make(cls: type, **given: Any) -> Any:
    """A card with every field empty (by its annotation) except those given."""
    empty: dict[str, Any] = {"bool": False, "datetime": NOW, "str": ""}
    values: dict[str, Any] = {"id": uuid4()}
    for f in fields(cls):
        kind = str(f.type)
        if f.name in given or f.name in values or f.name == "identities":
            continue
        values[f.name] = (
            None if "None" in kind else [] if kind.startswith("list") else empty.get(kind, "")
        )
    return cls(**values, **given)


def test_the_organization_stands_in_for_what_the_card_lacks() -> None:
    manager = uuid4()
    org = _make(
        Organization,
        tier="A",
        is_key_account=True,
        account_manager_id=manager,
        route_territory="North",
        route_weekday=2,
    )
    facts = account_facts(_make(Customer, is_key_account=False), org)
    assert (facts.tier, facts.key_account, facts.account_manager_id) == ("A", True, manager)
    assert (facts.route_territory, facts.route_weekday) == ("North", 2)
    assert facts.tier_inherited and facts.manager_inherited and facts.route_inherited


def test_the_cards_own_facts_win_and_a_route_weekday_alone_is_its_own() -> None:
    own = uuid4()
    org = _make(Organization, tier="A", account_manager_id=uuid4(), route_territory="North")
    card = _make(Customer, tier="C", account_manager_id=own, route_weekday=4, is_key_account=True)
    facts = account_facts(card, org)
    assert (facts.tier, facts.account_manager_id, facts.key_account) == ("C", own, True)
    assert (facts.route_territory, facts.route_weekday) == ("", 4)
    assert not (facts.tier_inherited or facts.manager_inherited or facts.route_inherited)
    alone = account_facts(_make(Customer, is_key_account=False), None)
    assert (alone.tier, alone.key_account, alone.account_manager_id) == (None, False, None)

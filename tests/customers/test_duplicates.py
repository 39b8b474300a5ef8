"""The duplicate scorer: names however written, email names across domains, one number under
two country codes. No database."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from contact_center.customers import Customer, Identity, IdentityKind
from contact_center.customers.duplicates import (
    ReasonCode,
    email_name,
    name_similarity,
    normalize_name,
    score_pair,
)

NOW = datetime(2026, 1, 5, tzinfo=UTC)
ORG = uuid4()


def card(
    name: str,
    *,
    phones: tuple[str, ...] = (),
    emails: tuple[str, ...] = (),
    org: UUID | None = None,
) -> Customer:
    identities = [Identity(uuid4(), IdentityKind.PHONE, p) for p in phones] + [
        Identity(uuid4(), IdentityKind.EMAIL, e) for e in emails
    ]
    fields = {f.name: None for f in dataclasses.fields(Customer)}
    fields.update(
        id=uuid4(), name=name, organization_id=org, tags=[],
        sms_opted_out=False, created_at=NOW, updated_at=NOW, identities=identities,
    )  # fmt: skip
    return Customer(**fields)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("李 伟", "李伟"),
        ("Li Wei", "li  wéi"),
        ("Wei Li", "Li Wei"),
        ("JOSÉ ÁLVAREZ", "José Alvarez"),
    ],
)
def test_one_name_written_two_ways_is_the_same_name(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b) or name_similarity(a, b) == 1.0


def test_similar_and_different_names() -> None:
    assert name_similarity("Kai Dunmore", "K Dunmore") >= 0.8
    assert name_similarity("Harper Fairholm", "Harper Fairhom") >= 0.8
    assert name_similarity("王小明", "王晓明") < 0.8
    assert name_similarity("Ann Lee", "Bob Stone") < 0.5


def test_role_mailboxes_name_nobody() -> None:
    assert email_name("Li.Wei+shop@a.example") == "li.wei"
    assert email_name("info@a.example") is None and email_name("kefu@b.cn") is None


def test_similar_names_within_one_organization_are_suggested() -> None:
    a, b = card("张 伟", org=ORG), card("张伟", org=ORG)
    suggestion = score_pair(a, b)
    assert suggestion is not None and suggestion.score >= 0.5
    assert [r.code for r in suggestion.reasons] == [ReasonCode.SIMILAR_NAME_IN_ORGANIZATION]
    assert (suggestion.a, suggestion.b) == tuple(sorted((a.id, b.id)))


def test_a_common_name_alone_outside_an_organization_is_not_suggested() -> None:
    assert score_pair(card("张伟"), card("张伟")) is None
    assert score_pair(card("张伟", org=ORG), card("张伟", org=uuid4())) is None


def test_one_email_name_at_two_domains_is_suggested_with_the_name_as_support() -> None:
    a = card("Li Wei", emails=("li.wei@a.example",))
    b = card("LI WEI", emails=("li.wei@b.cn",))
    suggestion = score_pair(a, b)
    assert suggestion is not None
    codes = {r.code for r in suggestion.reasons}
    assert codes == {ReasonCode.SAME_EMAIL_NAME, ReasonCode.SIMILAR_NAME}
    lone = score_pair(
        card("Li Wei", emails=("li.wei@a.example",)), card("X", emails=("li.wei@b.cn",))
    )
    assert lone is not None and suggestion.score > lone.score


def test_info_at_two_companies_is_not_a_person() -> None:
    assert (
        score_pair(card("A", emails=("info@a.example",)), card("B", emails=("info@b.example",)))
        is None
    )


def test_one_number_under_two_country_codes_is_suggested() -> None:
    a, b = card("Rowan Hale", phones=("+12125550177",)), card("R. Hale", phones=("+862125550177",))
    suggestion = score_pair(a, b)
    assert suggestion is not None
    assert suggestion.reasons[0].code is ReasonCode.SAME_PHONE_NUMBER
    assert {suggestion.reasons[0].a, suggestion.reasons[0].b} == {"+12125550177", "+862125550177"}
    assert (
        score_pair(card("A", phones=("+12125550177",)), card("B", phones=("+12125550178",))) is None
    )

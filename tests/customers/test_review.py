"""Suggested duplicates found in the database, dismissed for good; merge preview, the fields a
merge fills in, and undo clearing them."""

from __future__ import annotations

from datetime import date

import pytest

from contact_center import audit, customers, merges, tickets
from contact_center.customers import ReasonCode
from contact_center.errors import Conflict
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR, make_customer, make_inbound_sms
from tests.conftest import SingleConnectionPool


async def _pairs(db: SingleConnectionPool) -> dict[frozenset[object], set[ReasonCode]]:
    page = await customers.list_duplicate_suggestions(db, limit=200)
    return {frozenset((s.a, s.b)): {r.code for r in s.reasons} for s in page.suggestions}


async def test_suggestions_find_names_in_an_organization_email_names_and_numbers(
    db: SingleConnectionPool,
) -> None:
    org = await customers.create_organization(db, TEST_ACTOR, {"name": "华东贸易有限公司"})
    zhang = await make_customer(db, name="张 伟", organization_id=str(org.id))
    zhang2 = await make_customer(db, name="张伟", organization_id=str(org.id))
    li = await make_customer(db, name="Li Wei", emails=["li.wei@a.example"])
    li2 = await make_customer(db, name="LI WÉI", emails=["li.wei@b-shop.cn"])
    rowan = await make_customer(db, name="Rowan Hale", phones=["+1 212 555 0177"])
    rowan2 = await make_customer(db, name="Rowan Hale", phones=["+86 21 2555 0177"])
    await make_customer(db, name="张伟")  # the same name, no organization: not suggested
    found = await _pairs(db)
    assert found[frozenset((zhang.id, zhang2.id))] == {ReasonCode.SIMILAR_NAME_IN_ORGANIZATION}
    assert ReasonCode.SAME_EMAIL_NAME in found[frozenset((li.id, li2.id))]
    assert ReasonCode.SAME_PHONE_NUMBER in found[frozenset((rowan.id, rowan2.id))]
    assert len(found) == 3


async def test_a_dismissed_pair_is_never_suggested_again(db: SingleConnectionPool) -> None:
    a = await make_customer(db, name="Avery Stone", emails=["avery.stone@a.example"])
    b = await make_customer(db, name="Avery Stone", emails=["avery.stone@b.example"])
    assert frozenset((a.id, b.id)) in await _pairs(db)
    await customers.dismiss_duplicate(db, TEST_ACTOR, b.id, a.id)
    await customers.dismiss_duplicate(db, TEST_ACTOR, a.id, b.id)  # again: nothing new
    assert frozenset((a.id, b.id)) not in await _pairs(db)
    trail = await audit.list_entries(db.conn, "customer", [str(a.id)])
    assert [e.action for e in trail] == ["created", "duplicate_dismissed"]
    with pytest.raises(Conflict):
        await customers.dismiss_duplicate(db, TEST_ACTOR, a.id, a.id)


async def test_a_merged_card_is_no_longer_suggested(db: SingleConnectionPool) -> None:
    a = await make_customer(db, name="Sage Brook", emails=["sage.brook@a.example"])
    b = await make_customer(db, name="Sage Brook", emails=["sage.brook@b.example"])
    await merges.merge_customers(db, TEST_ACTOR, a.id, b.id)
    assert frozenset((a.id, b.id)) not in await _pairs(db)


async def test_preview_shows_what_the_merge_then_does_and_changes_nothing(
    db: SingleConnectionPool,
) -> None:
    survivor = await make_customer(db, name="陈静", tier="A", preferences="上午联系", tags=["vip"])
    other = await make_customer(
        db,
        name="陈 静",
        tier="B",
        birthday="1985-02-14",
        language="zh",
        emails=["chen.jing@example.cn"],
        tags=["wholesale"],
    )
    now = utc_now()
    first = await tickets.intake(db, make_inbound_sms(from_address=other.phones[0]), now=now)
    preview = await merges.preview_merge(db, survivor.id, other.id)
    assert preview.ticket_numbers == [first.ticket_number]
    assert preview.phones == other.phones and preview.emails == ["chen.jing@example.cn"]
    assert preview.fills == {
        "birthday": date(1985, 2, 14),
        "language": "zh",
        "tags": ["vip", "wholesale"],
    }
    assert {(c.field, c.survivor, c.other, c.winner) for c in preview.conflicts} == {
        ("name", "陈静", "陈 静", "survivor"),
    }
    assert (await customers.get_customer(db, other.id)).merged_into_id is None
    merged = await merges.merge_customers(db, TEST_ACTOR, survivor.id, other.id)
    assert merged.birthday == date(1985, 2, 14) and merged.language == "zh"
    # The survivor keeps its account; the other card's personal account stays with it.
    assert merged.account.tier == "A" and merged.tags == ["vip", "wholesale"]
    assert (await customers.get_customer(db, other.id)).account.tier == "B"
    assert set(merged.phones) == {*survivor.phones, *other.phones}


async def test_undo_clears_filled_fields_but_keeps_later_edits(db: SingleConnectionPool) -> None:
    survivor = await make_customer(db, name="Lane Ashby")
    other = await make_customer(db, name="Lane Ashby", language="en", job_title="Buyer")
    await merges.merge_customers(db, TEST_ACTOR, survivor.id, other.id)
    await customers.update_customer(
        db, TEST_ACTOR, survivor.id, {"job_title": "Head buyer"}, region="US"
    )
    await merges.unmerge_customer(db, TEST_ACTOR, other.id, any_merge=True)
    back = await customers.get_customer(db, survivor.id)
    assert back.language == "" and back.job_title == "Head buyer"
    trail = await audit.list_entries(db.conn, "customer", [str(survivor.id)])
    assert trail[-1].action == "unmerged_out"
    assert trail[-1].after is not None and trail[-1].after["restored_fields"] == {"language": ""}
    assert back.phones == survivor.phones
    restored = await customers.get_customer(db, other.id)
    assert restored.merged_into_id is None and restored.phones == other.phones


async def test_undo_of_a_merge_made_before_accounts_had_one_owner(
    db: SingleConnectionPool,
) -> None:
    """Such a merge filled account fields of the survivor's card; since migration 0027 they sit
    on its personal account, and the undo gives them back there."""
    survivor = await make_customer(db, name="Ivy Marsh", tier="A")
    other = await make_customer(db, name="Ivy Marsh", language="en")
    await merges.merge_customers(db, TEST_ACTOR, survivor.id, other.id)
    await db.conn.execute(
        "UPDATE customer_merges SET filled_fields = filled_fields || $2::jsonb"
        " WHERE merged_id = $1",
        other.id,
        {"tier": {"before": None, "after": "A"}, "route_territory": {"before": "", "after": "X"}},
    )
    await merges.unmerge_customer(db, TEST_ACTOR, other.id, any_merge=True)
    back = await customers.get_customer(db, survivor.id)
    assert back.language == "" and back.account.tier is None  # "X" was never its route
    assert back.account.personal and back.account.route_territory == ""
    assert (await customers.get_customer(db, other.id)).account.personal


async def test_preview_refuses_what_the_merge_refuses(db: SingleConnectionPool) -> None:
    a, b = await make_customer(db), await make_customer(db)
    with pytest.raises(Conflict):
        await merges.preview_merge(db, a.id, a.id)
    await merges.merge_customers(db, TEST_ACTOR, a.id, b.id)
    with pytest.raises(Conflict):
        await merges.preview_merge(db, a.id, b.id)

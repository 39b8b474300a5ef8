"""Customer search: by ticket words (Chinese included), by Chinese names, by phones written any
way a person writes them."""

from __future__ import annotations

import pytest

from contact_center import customers, tickets
from contact_center.customers.search import read_query
from contact_center.timeutil import utc_now
from tests.builders import make_customer, make_inbound_email, make_inbound_sms
from tests.conftest import SingleConnectionPool


@pytest.mark.parametrize(
    ("text", "ending"),
    [
        ("013800138000", "13800138000"),
        ("0086 138 0013 8000", "8613800138000"),
        ("138-0013-8000", "13800138000"),
        ("(010) 6552 9988", "1065529988"),
        ("0134", "0134"),
        ("555 0134", "5550134"),
    ],
)
def test_phone_fragments_drop_trunk_and_international_zeros(text: str, ending: str) -> None:
    assert read_query(text, "US").phone_ending == ending


def test_words_go_to_names_and_tickets_but_numbers_do_not() -> None:
    assert read_query("退款 慢", "CN").words == "退款 慢"
    assert read_query("Where is my charger", "US").name == "Where is my charger"
    assert read_query("#1234", "US").words is None
    assert read_query("555 0134", "US").words is None
    assert read_query("ann@example.org", "US").words is None


@pytest.mark.parametrize(
    "q",
    [
        "+86 138 0013 8000",
        "013800138000",
        "138-0013-8000",
        "138 0013 8000",
        "0086 13800138000",
        "+8613800138000",
        "8000",
    ],
)
async def test_a_chinese_mobile_is_found_however_it_is_written(
    db: SingleConnectionPool, q: str
) -> None:
    customer = await make_customer(db, name="王小明", phones=["+86 138 0013 8000"])
    found = await customers.search_customers(db, q, region="US")
    assert customer.id in [c.id for c in found]
    found_cn = await customers.search_customers(db, q, region="CN")
    assert customer.id in [c.id for c in found_cn]


async def test_chinese_names_are_found_by_whole_name_and_by_part(db: SingleConnectionPool) -> None:
    wang = await make_customer(db, name="王小明")
    li = await make_customer(db, name="李 伟")
    for q, expected in [("王小明", wang.id), ("小明", wang.id), ("王", wang.id), ("李伟", li.id)]:
        found = [c.id for c in await customers.search_customers(db, q, region="CN")]
        assert expected in found, q


async def test_customers_are_found_by_the_words_of_their_tickets(db: SingleConnectionPool) -> None:
    refund = await make_customer(db, name="赵敏", phones=["+86 139 1234 5678"])
    charger = await make_customer(db, name="Avery Colfax", emails=["avery@example.org"])
    other = await make_customer(db, name="Unrelated Person")
    now = utc_now()
    sms = make_inbound_sms(from_address="+8613912345678", text="我要退款，洗衣机坏了")
    await tickets.intake(db, sms, now=now)
    mail = make_inbound_email(
        from_address="avery@example.org",
        subject="Tachometer reading wrong",
        text="The zeppelin-shaped charger sparks",
    )
    await tickets.intake(db, mail, now=now)
    for q, expected in [
        ("退款", refund.id),
        ("洗衣机", refund.id),
        ("tachometer", charger.id),
        ("Zeppelin chargers", charger.id),
    ]:
        found = [c.id for c in await customers.search_customers(db, q, region="CN")]
        assert found == [expected], q
    assert other.id not in [c.id for c in await customers.search_customers(db, "退款", region="US")]


def test_stored_numbers_are_shown_as_people_read_them() -> None:
    from contact_center.customers import display_phone

    assert display_phone("+8613800138000") == "+86 138 0013 8000"
    assert display_phone("not a number") == "not a number"

"""Which greetings are due on a day, and where a care message goes (pure)."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from hypothesis import given
from hypothesis import strategies as st

from contact_center.care.model import Address, Reachable, Skip
from contact_center.care.occasions import (
    address_for,
    birthdays_on,
    greetings_due,
    holiday_on,
    locale_of,
)

CN_MOBILE = "+8613812345678"
CN_LANDLINE = "+861062345678"


def person(**fields: object) -> Reachable:
    values: dict[str, object] = {
        "customer_id": uuid4(),
        "name": "王芳",
        "language": "zh-CN",
        "preferred_channel": None,
        "phones": (CN_MOBILE,),
        "emails": (),
        "sms_opted_out": False,
        "care_opted_out": False,
    }
    values.update(fields)
    return Reachable(**values)  # type: ignore[arg-type]


def due_on(day: date, people: list[Reachable], **kw: object) -> list[tuple[UUID, str]]:
    args: dict[str, object] = {"birthdays": True, "holiday": None, "holiday_tags": ["elderly"]}
    args.update(kw)
    found = greetings_due(day, people, **args)  # type: ignore[arg-type]
    return [(g.customer.customer_id, g.occasion) for g in found]


def test_feb_29_birthdays_are_greeted_on_feb_28_in_common_years() -> None:
    leapling = person(birthday=date(1988, 2, 29))
    assert due_on(date(2027, 2, 28), [leapling]) == [(leapling.customer_id, "birthday:2027")]
    assert due_on(date(2027, 3, 1), [leapling]) == []
    # In a leap year they are greeted on the day itself, and not the day before.
    assert due_on(date(2028, 2, 28), [leapling]) == []
    assert due_on(date(2028, 2, 29), [leapling]) == [(leapling.customer_id, "birthday:2028")]


def test_feb_28_birthdays_stay_on_feb_28() -> None:
    assert birthdays_on(date(2028, 2, 28)) == [(2, 28)]
    assert sorted(birthdays_on(date(2027, 2, 28))) == [(2, 28), (2, 29)]


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_birthday_is_greeted_exactly_once_a_year(born: date) -> None:
    year = 2027 if born.year % 4 else 2031  # one common year
    days = [date.fromordinal(date(year, 1, 1).toordinal() + i) for i in range(365)]
    greeted = [d for d in days if (born.month, born.day) in birthdays_on(d)]
    assert len(greeted) == 1


def test_a_birthday_is_greeted_once_per_year() -> None:
    someone = person(birthday=date(1950, 6, 1))
    done = {(someone.customer_id, "birthday:2027")}
    assert due_on(date(2027, 6, 1), [someone], already=done) == []
    assert due_on(date(2028, 6, 1), [someone], already=done) == [
        (someone.customer_id, "birthday:2028")
    ]


def test_birthdays_can_be_switched_off() -> None:
    assert due_on(date(2027, 6, 1), [person(birthday=date(1950, 6, 1))], birthdays=False) == []


def test_holiday_greetings_go_to_tagged_customers_only() -> None:
    elder = person(tags=("elderly", "vip"))
    other = person(tags=("vip",))
    day = date(2027, 2, 6)
    found = due_on(day, [elder, other], holiday="Spring Festival")
    assert found == [(elder.customer_id, "holiday:2027-02-06")]
    assert due_on(day, [elder], holiday=None) == []


def test_a_birthday_on_a_holiday_gets_both_greetings() -> None:
    elder = person(tags=("elderly",), birthday=date(1940, 10, 1))
    found = due_on(date(2027, 10, 1), [elder], holiday="National Day")
    assert sorted(o for _, o in found) == ["birthday:2027", "holiday:2027-10-01"]


def test_a_holiday_run_is_greeted_on_its_first_day() -> None:
    days = {date(2027, 2, d) for d in range(6, 13)}
    labels = dict.fromkeys(days, "Spring Festival")
    labels[date(2027, 2, 13)] = "Other"
    days.add(date(2027, 2, 13))
    holidays = frozenset(days)
    assert holiday_on(date(2027, 2, 6), holidays, labels) == "Spring Festival"
    assert holiday_on(date(2027, 2, 7), holidays, labels) is None
    assert holiday_on(date(2027, 2, 13), holidays, labels) == "Other"  # a new holiday
    assert holiday_on(date(2027, 2, 14), holidays, labels) is None


def test_preferred_channel_decides_and_the_other_serves_when_missing() -> None:
    both = {"phones": (CN_MOBILE,), "emails": ("wang@example.cn",)}
    assert address_for(person(preferred_channel="email", **both)) == Address(
        "email", "wang@example.cn"
    )
    assert address_for(person(preferred_channel="sms", **both)) == Address("sms", CN_MOBILE)
    assert address_for(person(preferred_channel="voice", **both)) == Address("sms", CN_MOBILE)
    assert address_for(person(preferred_channel="email", emails=())) == Address("sms", CN_MOBILE)


def test_voice_goes_to_a_mobile_never_a_landline() -> None:
    landline_only = person(preferred_channel="voice", phones=(CN_LANDLINE,))
    assert address_for(landline_only) is Skip.NO_ADDRESS
    with_mail = person(preferred_channel="voice", phones=(CN_LANDLINE,), emails=("a@example.cn",))
    assert address_for(with_mail) == Address("email", "a@example.cn")


def test_opt_outs_are_reasons_not_silence() -> None:
    assert address_for(person(care_opted_out=True)) is Skip.CARE_OPTED_OUT
    assert address_for(person(sms_opted_out=True)) is Skip.OPTED_OUT
    stopped_with_mail = person(sms_opted_out=True, emails=("a@example.cn",))
    assert address_for(stopped_with_mail) == Address("email", "a@example.cn")
    assert address_for(person(phones=(), emails=())) is Skip.NO_ADDRESS


def test_a_forced_channel_uses_only_that_channel() -> None:
    only_phone = person(emails=())
    assert address_for(only_phone, "email") is Skip.NO_ADDRESS
    assert address_for(only_phone, "sms") == Address("sms", CN_MOBILE)
    assert address_for(person(sms_opted_out=True, emails=("a@x.cn",)), "sms") is Skip.OPTED_OUT


def test_language_tags_pick_the_catalog() -> None:
    assert [locale_of(t) for t in ("zh", "zh-CN", "zh_Hans", "ZH-TW", "en", "", "fr")] == [
        "zh_Hans",
        "zh_Hans",
        "zh_Hans",
        "zh_Hans",
        "en",
        "en",
        "en",
    ]


def test_a_long_first_line_makes_a_short_subject() -> None:
    from contact_center.care.texts import subject_from

    assert subject_from("\n  Short news  \nmore") == "Short news"
    long = "word " * 40
    cut = subject_from(long)
    assert len(cut) <= 78 and cut.endswith("word…")
    assert subject_from("新" * 100) == "新" * 77 + "…"

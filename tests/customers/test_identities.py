import pytest

from contact_center.customers.identities import normalize_email, normalize_phone
from contact_center.customers.search import read_query
from contact_center.errors import Invalid


@pytest.mark.parametrize(
    "raw", ["(202) 555-0143", "202.555.0143", "+1 202 555 0143", "1-202-555-0143", " 2025550143 "]
)
def test_us_phone_in_any_format_becomes_e164(raw: str) -> None:
    assert normalize_phone(raw, "US") == "+12025550143"


def test_number_without_country_code_uses_the_default_region() -> None:
    assert normalize_phone("138 0013 8000", "CN") == "+8613800138000"
    assert normalize_phone("+86 138 0013 8000", "US") == "+8613800138000"


@pytest.mark.parametrize("raw", ["12", "not a phone", "+1 202 555", ""])
def test_impossible_phone_is_refused_naming_the_field(raw: str) -> None:
    with pytest.raises(Invalid) as caught:
        normalize_phone(raw, "US", field="phones[2]")
    assert caught.value.field == "phones[2]"


def test_email_is_lower_cased_and_checked() -> None:
    assert normalize_email("  Someone@Example.ORG ") == "someone@example.org"
    for bad in ["no-at-sign", "a@b", "two@@example.com", "sp ace@example.com"]:
        with pytest.raises(Invalid):
            normalize_email(bad)


def test_search_query_reads_phones_emails_and_ticket_numbers() -> None:
    phone = read_query("(202) 555-0143", "US")
    assert phone.phones == ["+12025550143"]
    assert phone.phone_ending is None and phone.name is None
    assert read_query("555 0143", "US").phone_ending == "5550143"
    assert read_query("Someone@", "US").email_start == "someone@"
    email = read_query("Someone@Example.org", "US")
    assert email.emails == ["someone@example.org"] and email.name is None
    number = read_query("#1234", "US")
    assert number.ticket_number == 1234
    name = read_query("王_%", "US")
    assert (
        name.words == "王_%"
        and name.name == "王 _%"
        and name.phone_ending is None
        and name.email_start is None
    )
    assert read_query("  ", "US").empty


@pytest.mark.parametrize(
    "bad",
    [
        "@example.com",
        "big bug bb@bug.example",
        "ann.@example.com",
        "ann@example.com.",
        '"a b"@example.com',
        "ann@[192.0.2.1]",
        "ann@localhost",
        "a\x01b@example.com",
        "a\x00b@example.com",
        "x" * 900_000 + "@example.com",
    ],
)
def test_an_email_our_mailer_cannot_answer_is_refused(bad: str) -> None:
    with pytest.raises(Invalid) as caught:
        normalize_email(bad, field="emails[0]")
    assert caught.value.field == "emails[0]" and len(str(caught.value)) < 300


def test_idn_domains_are_kept_in_ascii() -> None:
    assert normalize_email("Ann@Bücher.Example") == "ann@xn--bcher-kva.example"
    assert normalize_email("用户@example.cn") == "用户@example.cn"

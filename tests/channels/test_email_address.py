"""Sender addresses as real mailers write them: believed only when our mailer could answer them."""

from __future__ import annotations

import time

import pytest

from channels.email_address import MAX_FROM_CHARS, NoUsableSender, choose_sender
from channels.email_mime import ParseError, parse_email

ENVELOPE = "bounces+123@mailer.example.org"

# From header as written → (address, display name) believed from the header.
CLEAN = {
    "Ann Lee <Ann.Lee@Example.COM>": ("ann.lee@example.com", "Ann Lee"),
    '"Lee, Ann" <ann@example.com>': ("ann@example.com", "Lee, Ann"),
    '"Ann (Sales)" <ann@example.com>': ("ann@example.com", "Ann (Sales)"),
    "Ann O'Neil <ann@example.com>": ("ann@example.com", "Ann O'Neil"),
    "ann@example.com (Ann Lee)": ("ann@example.com", "Ann Lee"),
    "Ann <ann@example.com> (work)": ("ann@example.com", "Ann"),
    "<ann@example.com>": ("ann@example.com", ""),
    "ann@example.com": ("ann@example.com", ""),
    "=?utf-8?b?5byg5LiJ?= <zs@example.cn>": ("zs@example.cn", "=?utf-8?b?5byg5LiJ?="),
    '"=?gbk?B?1dTQodPq?=" <zhao@example.net>': ("zhao@example.net", "=?gbk?B?1dTQodPq?="),
    "张三 <zs@example.cn>": ("zs@example.cn", "张三"),
    # IDN domains are kept in their ASCII form, which any relay can route.
    "Ann <ann@bücher.example>": ("ann@xn--bcher-kva.example", "Ann"),
    "Team: ann@example.com, bob@example.com;": ("ann@example.com", ""),
    "ann@example.com, bob@example.com": ("ann@example.com", ""),
    "Ann <ann@example.com": ("ann@example.com", "Ann"),  # missing '>' hides nothing
    "Ann Lee <ann@example.com>, ": ("ann@example.com", "Ann Lee"),
}

# From header that must not become an identity → words of the reason.
UNUSABLE = {
    "a@example.com b@example.com": "ambiguous",
    "Big Bug bb@bug.example": "ambiguous",
    "alice@example.org <bob@evil.example>": "ambiguous",
    "alice@example.org@evil.example": "ambiguous",
    "ann@@example.com": "ambiguous",
    "ann@example.com <ann@example.com>": "ambiguous",
    "Ann Lee": "ambiguous",
    "ann at example.com": "ambiguous",
    "ann@example.com.": "ambiguous",
    "Ann <ann@example..com>": "ambiguous",
    "Ann <ann.@example.com>": "cannot be answered",
    "ann@localhost": "cannot be answered",
    '"a b"@example.com': "cannot be answered",
    "Ann <ann@[192.0.2.1]>": "cannot be answered",
    "Ann <ann@-example.com>": "cannot be answered",
    "undisclosed-recipients:;": "no address",
    "": "no From header",
    "(" * 900: "unreadable",
    "Ann <" + "a" * MAX_FROM_CHARS + "@example.com>": "longer than",
}


@pytest.mark.parametrize(("header", "expected"), sorted(CLEAN.items()))
def test_a_clean_from_header_names_the_sender(header: str, expected: tuple[str, str]) -> None:
    sender = choose_sender([header], ENVELOPE)
    assert (sender.address, sender.display_name, sender.note) == (*expected, "")


@pytest.mark.parametrize(("header", "reason"), sorted(UNUSABLE.items()))
def test_an_unusable_from_header_gives_way_to_the_envelope_sender(header: str, reason: str) -> None:
    sender = choose_sender([header], ENVELOPE)
    assert sender.address == ENVELOPE and reason in sender.note and ENVELOPE in sender.note
    with pytest.raises(NoUsableSender, match=f"{reason}.*envelope sender is empty"):
        choose_sender([header], "")
    with pytest.raises(NoUsableSender, match="envelope sender is not answerable"):
        choose_sender([header], "MAILER-DAEMON")


def test_of_several_authors_the_envelope_sender_is_preferred() -> None:
    header = "Ann <ann@example.com>, Bob <bob@example.com>"
    assert choose_sender([header], "Bob@Example.com").address == "bob@example.com"
    assert choose_sender([header], None).address == "ann@example.com"


def test_two_different_from_headers_are_not_believed() -> None:
    sender = choose_sender(["ann@example.com", "bob@example.com"], ENVELOPE)
    assert sender.address == ENVELOPE and "2 different From headers" in sender.note
    assert choose_sender(["ann@example.com"] * 2, ENVELOPE).address == "ann@example.com"


def test_the_issue_examples_never_store_a_broken_address() -> None:
    for header in ("a@example.com b@example.com", "Big Bug bb@bug.example"):
        raw = f"From: {header}\r\nSubject: hi\r\n\r\nbody".encode()
        assert parse_email(raw, "bb@bug.example").from_address == "bb@bug.example"
        with pytest.raises(ParseError, match="no sender address"):
            parse_email(raw, "")


def test_a_bounce_with_an_empty_envelope_sender_still_reads() -> None:
    raw = b"From: MAILER-DAEMON@mx.example.net (Mail Delivery System)\r\nSubject: fail\r\n\r\nx"
    mail = parse_email(raw, "")
    assert mail.from_address == "mailer-daemon@mx.example.net" and mail.automated


def test_huge_from_headers_are_refused_quickly() -> None:
    started = time.perf_counter()
    near_cap = ("From: " + "x" * 200_000 + "@example.com\r\n\r\nbody").encode()
    assert parse_email(near_cap, ENVELOPE).from_address == ENVELOPE
    huge = ("From: " + "Ann " * 225_000 + "<ann@example.com>\r\n\r\nbody").encode()
    assert len(huge) > 900_000
    with pytest.raises(ParseError, match="header section too large"):
        parse_email(huge, ENVELOPE)
    assert time.perf_counter() - started < 1

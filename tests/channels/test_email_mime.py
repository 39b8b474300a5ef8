from __future__ import annotations

import pytest

from channels.email_mime import ParseError, parse_email


def mail(headers: str, body: str = "Hello") -> bytes:
    return (headers.strip().replace("\n", "\r\n") + "\r\n\r\n" + body).encode("utf-8")


def test_plain_text_is_preferred_and_headers_decoded() -> None:
    raw = (
        b"From: =?utf-8?B?546L5bCP5piO?= <Wang@Example.NET>\r\nTo: support@example.com\r\n"
        b"Subject: =?gb2312?B?tqm1pc7KzOI=?= [#1234]\r\nMessage-ID: <a1@example.net>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n"
        b"--b\r\nContent-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"xOO6w6Osx+vOysqyw7TKsbryt6K79aO/\r\n"
        b"--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p onclick='x()'>Hi<script>bad()</script></p>\r\n--b--\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.from_address == "wang@example.net" and parsed.display_name == "王小明"
    assert parsed.subject == "订单问题 [#1234]" and parsed.ticket_hint == 1234
    assert parsed.text == "你好，请问什么时候发货？"
    assert "script" not in parsed.html and "onclick" not in parsed.html
    assert parsed.message_id == "<a1@example.net>"


def test_html_only_mail_gets_a_text_version() -> None:
    raw = mail(
        "From: a@example.net\nContent-Type: text/html; charset=utf-8",
        "<div>Broken <b>lid</b></div>",
    )
    assert parse_email(raw).text == "Broken lid"


def test_mail_without_message_id_is_identified_by_its_bytes() -> None:
    raw = mail("From: a@example.net\nSubject: x")
    assert parse_email(raw).message_id == parse_email(raw).message_id
    assert parse_email(raw).message_id.startswith("<sha256-")


def test_attachments_are_listed_and_nul_bytes_dropped() -> None:
    raw = (
        b"From: a@example.net\r\nContent-Type: multipart/mixed; boundary=z\r\n\r\n"
        b"--z\r\nContent-Type: text/plain\r\n\r\nsee\x00 attached\r\n"
        b"--z\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; "
        b"filename*=utf-8''%E5%8F%91%E7%A5%A8.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--z--\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.text == "see attached"
    assert parsed.attachments == [
        {"filename": "发票.pdf", "content_type": "application/pdf", "size": 5}
    ]


def test_mail_without_a_sender_cannot_be_parsed() -> None:
    with pytest.raises(ParseError):
        parse_email(b"Subject: nobody\r\n\r\nbody")


def test_unknown_charset_falls_back_instead_of_failing() -> None:
    raw = mail(
        "From: a@example.net\nContent-Type: text/plain; charset=x-unknown",
        "caf\xe9".encode("latin-1").decode("latin-1"),
    )
    assert "caf" in parse_email(raw).text

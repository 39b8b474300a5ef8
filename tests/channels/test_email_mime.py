"""The inbound mail parser on hand-built messages: decoding, caps, loop signals, quotes, HTML."""

from __future__ import annotations

import base64

import pytest

from channels import email_mime, email_shape
from channels.email_mime import ParseError, clean_html, parse_email
from channels.email_quotes import decode_text, decode_words, html_to_text, split_reply


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
        {
            "filename": "发票.pdf",
            "content_type": "application/pdf",
            "size": 5,
            "inline": False,
            "content_id": "",
        }
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


# --- caps -------------------------------------------------------------------------------------


def multipart(parts: list[bytes], boundary: bytes = b"b") -> bytes:
    body = b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts)
    head = b"From: a@example.net\r\nContent-Type: multipart/mixed; boundary=" + boundary
    return head + b"\r\n\r\n" + body + b"--" + boundary + b"--\r\n"


def nested(depth: int) -> bytes:
    inner = b"Content-Type: text/plain\r\n\r\ninnermost"
    for level in range(depth, 0, -1):
        boundary = b"n%d" % level
        inner = b"Content-Type: multipart/mixed; boundary=%s\r\n\r\n--%s\r\n%s\r\n--%s--" % (
            boundary,
            boundary,
            inner,
            boundary,
        )
    return b"From: a@example.net\r\n" + inner


def test_too_many_parts_are_refused_before_parsing() -> None:
    part = b"Content-Type: text/plain\r\n\r\nx"
    assert parse_email(multipart([part] * email_shape.MAX_PARTS)).text.startswith("x")
    with pytest.raises(ParseError, match="MIME parts"):
        parse_email(multipart([part] * (email_shape.MAX_PARTS + 1)))


def test_nesting_deeper_than_the_cap_is_refused() -> None:
    assert parse_email(nested(email_shape.MAX_DEPTH)).text == "innermost"
    with pytest.raises(ParseError, match="nesting deeper"):
        parse_email(nested(email_shape.MAX_DEPTH + 1))


def test_oversized_headers_and_line_counts_are_refused() -> None:
    with pytest.raises(ParseError, match="header section too large"):
        parse_email(
            b"From: a@example.net\r\nX-Big: " + b"a" * email_shape.MAX_HEADER_BYTES + b"\r\n\r\nx"
        )
    # get_param is quadratic in the semicolons of one header, so a long MIME header is refused
    with pytest.raises(ParseError, match="MIME header too large"):
        parse_email(
            b'From: a@example.net\r\nContent-Type: text/plain; name="'
            + b"a;" * 4000
            + b'"\r\n\r\nx'
        )
    with pytest.raises(ParseError, match="lines"):
        parse_email(b"From: a@example.net\r\n\r\n" + b"x\n" * (email_shape.MAX_LINES + 1))


def test_bare_cr_line_endings_are_measured_like_any_other() -> None:
    parts = b"--b\r\rx\r" * (email_shape.MAX_PARTS + 1)
    with pytest.raises(ParseError, match="MIME parts"):
        parse_email(b"From: a@example.net\rContent-Type: multipart/mixed; boundary=b\r\r" + parts)
    assert parse_email(b"From: a@example.net\rSubject: hi\r\rbody\rline 2").text == "body\nline 2"


def test_decoded_text_is_capped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(email_mime, "MAX_TEXT_CHARS", 10)
    raw = multipart(
        [
            b"Content-Type: text/plain\r\n\r\n0123456789abc",
            b"Content-Type: text/html\r\n\r\n<p>late</p>",
        ]
    )
    parsed = parse_email(raw)
    assert (parsed.text, parsed.html) == ("0123456789", "")


def test_attachments_over_the_caps_are_listed_without_bytes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(email_mime, "MAX_ATTACHMENT_BYTES", 6)
    monkeypatch.setattr(email_mime, "MAX_ATTACHMENTS_BYTES", 10)

    def attachment(name: str, content: bytes) -> bytes:
        head = f'Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="{name}"'
        return head.encode() + b"\r\n\r\n" + content

    raw = multipart(
        [
            attachment("a.bin", b"123456"),
            attachment("big.bin", b"1234567"),
            attachment("b.bin", b"12345"),
        ]
    )
    parsed = parse_email(raw)
    assert [(a["filename"], a["size"], a.get("skipped")) for a in parsed.attachments] == [
        ("a.bin", 6, None),
        ("big.bin", 7, "too large"),
        ("b.bin", 5, "too large"),  # 6 + 5 would pass the total of 10
    ]
    assert [(p.filename, p.content) for p in parsed.parts] == [("a.bin", b"123456")]


def test_html_nested_too_deep_for_the_sanitizer_is_only_read_as_text() -> None:
    deep = "<div>" * (email_mime.MAX_HTML_DEPTH + 1) + "help &amp; thanks"
    parsed = parse_email(mail("From: a@example.net\nContent-Type: text/html", deep))
    assert (parsed.html, parsed.text) == ("", "help & thanks")


HOSTILE = {
    "deeply nested comments in From": b"From: " + b"(" * 5000 + b"a@example.net\r\n\r\nx",
    "message/rfc822 nested 3000 deep": b"From: a@example.net\r\n"
    + b"Content-Type: message/rfc822\r\n\r\n" * 3000,
    "boundary declared, never used": b"From: a@example.net\r\nContent-Type: multipart/mixed\r\n\r\nplain words",
    "unterminated tags": b"From: a@example.net\r\nContent-Type: text/html\r\n\r\n" + b"<a " * 20000,
    "angle brackets only": b"From: a@example.net\r\nContent-Type: text/html\r\n\r\n"
    + b"<<<<" * 20000,
    "non-text codec charset": b"From: a@example.net\r\nContent-Type: text/plain; charset=zlib\r\n\r\nx",
    "surrogates from unicode_escape": b"From: a@example.net\r\nContent-Type: text/plain; charset=unicode_escape\r\n\r\n\\udc80\\x00ok",
    "bad base64 and qp": b"From: a@example.net\r\nContent-Transfer-Encoding: base64\r\nSubject: =?utf-8?B?!!!?= =?x?Q?=ZZ?=\r\n\r\n@@@=",
    "header without a body": b"From: a@example.net",
    "empty": b"",
    "binary junk": bytes(range(256)) * 40,
}


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_shapes_parse_or_raise_parse_error(raw: bytes) -> None:
    try:
        parsed = parse_email(raw)
    except ParseError:
        return
    for value in (parsed.text, parsed.html, parsed.subject, parsed.quoted):
        assert "\x00" not in value
        value.encode("utf-8")


# --- charsets and headers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "charset", "expected"),
    [
        ("你好".encode("gbk"), "GB2312", "你好"),
        ("王喆".encode("gbk"), "gb2312", "王喆"),  # GBK-only character under a GB2312 label
        ("請確認".encode("big5"), "big5", "請確認"),
        ("届きません".encode("iso-2022-jp"), "ISO-2022-JP", "届きません"),
        ("l’été".encode("cp1252"), "iso-8859-1", "l’été"),
        ("Köln".encode(), "us-ascii", "Köln"),
        ("Köln".encode(), None, "Köln"),
        ("请问".encode("gbk"), "utf-8", "请问"),  # a lying label
        ("中文".encode()[:-1], "utf-8", "中\ufffd"),  # truncated: the label is still trusted
        (b"caf\xe9", "x-unknown", "café"),
        (b"caf\xe9", "rot13", "café"),
    ],
)
def test_text_decodes_with_sensible_fallbacks(
    data: bytes, charset: str | None, expected: str
) -> None:
    assert decode_text(data, charset) == expected


def test_encoded_words_are_joined_before_decoding() -> None:
    raw_subject = "退货".encode()
    first, second = (
        base64.b64encode(raw_subject[:4]).decode(),
        base64.b64encode(raw_subject[4:]).decode(),
    )
    assert (
        decode_words(f"=?UTF-8?B?{first}?=\r\n =?UTF-8?B?{second}?= =?utf-8?q?_=E2=80=93_ok?= x")
        == "退货 – ok x"
    )
    assert decode_words("plain =?utf-8?B?5L2g?= and") == "plain 你 and"
    assert decode_words("=?utf-8?B?not base64!?=") == "=?utf-8?B?not base64!?="


def test_raw_8bit_headers_and_attachment_names_are_decoded() -> None:
    raw = (
        b"From: "
        + "张书言".encode("gbk")
        + b" <zhang@example.net>\r\nSubject: "
        + "退款".encode("gbk")
        + b"\r\n"
        b"Content-Type: multipart/mixed; boundary=z\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
        b'--z\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="../../etc/'
        + "发票.pdf".encode("gbk")
        + b'"\r\n\r\n%PDF\r\n--z--\r\n'
    )
    parsed = parse_email(raw)
    assert (parsed.display_name, parsed.subject) == ("张书言", "退款")
    assert parsed.attachments[0]["filename"] == "发票.pdf"


def test_message_ids_are_bounded() -> None:
    long_id = "<" + "x" * 300 + "@example.net>"
    refs = " ".join(f"<r{n}@example.net>" for n in range(150))
    parsed = parse_email(
        mail(
            f"From: a@example.net\nMessage-ID: {long_id}\nIn-Reply-To: <p@example.net> (comment)\nReferences: {refs}"
        )
    )
    assert parsed.message_id.startswith("<sha256-")
    assert parsed.in_reply_to == "<p@example.net>"
    assert len(parsed.references) == email_mime.MAX_REFERENCES
    assert parsed.references[-1] == "<r149@example.net>"


# --- what the headers say ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ("From: a@example.net", None),
        ("From: a@example.net\nAuto-Submitted: no", None),
        (
            "From: a@example.net\nAuto-Submitted: auto-generated; owner-email=x@example.net",
            "auto-submitted: auto-generated",
        ),
        ("From: a@example.net\nPrecedence: junk", "precedence: junk"),
        ("From: a@example.net\nPrecedence: List", "precedence: list"),
        ("From: a@example.net\nPrecedence: first-class", None),
        ("From: a@example.net\nX-Autorespond: yes", "x-autorespond"),
        ("From: a@example.net\nX-Loop: support@example.com", "x-loop"),
        ("From: a@example.net\nList-Unsubscribe: <mailto:u@example.net>", "list-unsubscribe"),
        ("From: Postmaster <POSTMASTER@example.net>", "postmaster sender"),
        ("From: noreply@example.net", "no-reply sender"),
        ("From: do-not-reply+orders@example.net", "no-reply sender"),
        ("From: noreplyjones@example.net", None),
    ],
)
def test_automated_mail_is_recognised(headers: str, reason: str | None) -> None:
    assert parse_email(mail(headers)).automated == reason


def test_read_receipts_are_reports_but_not_bounces() -> None:
    raw = mail(
        "From: a@example.net\nX-Failed-Recipients: b@example.net\n"
        "Content-Type: multipart/report; report-type=disposition-notification; boundary=r",
        "--r\r\nContent-Type: text/plain\r\n\r\nYour message was read.\r\n--r--\r\n",
    )
    parsed = parse_email(raw)
    assert parsed.automated == "multipart/report: disposition-notification"
    assert parsed.bounce_recipients == []


def test_reply_tokens_come_from_every_recipient_header() -> None:
    raw = mail(
        "From: a@example.net\nTo: Support <Reply+AbC_1-2@example.com>\n"
        "Cc: reply+abc_1-2@example.com, reply+bad.token@example.com, other@example.com\n"
        "Delivered-To: reply+zz9@example.com"
    )
    assert parse_email(raw).reply_tokens == ["abc_1-2", "zz9"]


def test_only_the_topmost_authentication_results_count() -> None:
    raw = mail(
        "Authentication-Results: mx.example.com; spf=softfail (a (nested) comment) smtp.mailfrom=x;\n"
        " dkim=none; dmarc=pass header.from=example.net\n"
        "Authentication-Results: mx.example.com; spf=pass; dkim=pass\nFrom: a@example.net"
    )
    assert parse_email(raw).auth_results == {"spf": "softfail", "dkim": "none", "dmarc": "pass"}
    nothing_checked = mail("Authentication-Results: mx.example.com; none\nFrom: a@example.net")
    assert parse_email(nothing_checked).auth_results == {}
    assert parse_email(mail("From: a@example.net")).auth_results == {}


# --- quotes, signatures and HTML text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "new", "quoted"),
    [
        (
            "On Mon, Ann wrote:\n> Which size?\n\nLarge, please.",
            "Large, please.",
            "On Mon, Ann wrote:\n> Which size?",
        ),
        (
            "-----Original Message-----\nFrom: x\n\nonly a forward",
            "-----Original Message-----\nFrom: x\n\nonly a forward",
            "",
        ),
        (
            "Fine.\n\n发件人: 客服\n时间: 2026年3月2日\n收件人: 张\n主题: 订单\n\n旧",
            "Fine.",
            "发件人: 客服",
        ),
        ("Thanks\n--\nJo", "Thanks", "--\nJo"),
        (
            "Line -- with dashes\n>From the mbox escape",
            "Line -- with dashes\n>From the mbox escape",
            "",
        ),
    ],
)
def test_replies_split_from_quotes_and_signatures(text: str, new: str, quoted: str) -> None:
    reply = split_reply(text)
    assert reply.new == new
    assert reply.quoted.startswith(quoted)


def test_html_only_replies_are_split_through_their_blockquotes() -> None:
    html = (
        "<div>New words here.</div><div class=gmail_quote><div>On Mon, Mar 2, 2026 Ann "
        "&lt;ann@example.com&gt; wrote:<br></div><blockquote>Old <b>words</b><blockquote>Older"
        "</blockquote></blockquote></div>"
    )
    parsed = parse_email(mail("From: a@example.net\nContent-Type: text/html", html))
    assert parsed.text == "New words here."
    assert "> Old words" in parsed.quoted and "> > Older" in parsed.quoted
    assert "<blockquote>" in parsed.html


def test_html_text_keeps_preformatted_lines() -> None:
    assert html_to_text("<p>Log:</p><pre>a\n  b</pre><ol><li>one</li><li>two</li></ol>") == (
        "Log:\n\na\n  b\n- one\n- two"
    )


@pytest.mark.parametrize(
    "html",
    [
        '<img src="cid:logo@example.net" onerror="x()"><a href="javascript:alert(1)">a</a>',
        '<p><div>misnested</p></div><table><a href="https://example.org/">foster</a></table>',
        "<b><i>open <u>tags <!-- comment --> &amp &lt;script&gt; <noscript><p>x</noscript>",
        '<img src="data:image/png;base64,AAAA"><math><mi xlink:href="javascript:1">m</mi></math>',
    ],
)
def test_clean_html_is_safe_and_idempotent(html: str) -> None:
    once = clean_html(html)
    assert clean_html(once) == once
    assert "javascript" not in once and "onerror" not in once and "data:" not in once


def test_clean_html_keeps_inline_image_references() -> None:
    assert clean_html('<img src="cid:logo@example.net">') == '<img src="cid:logo@example.net">'

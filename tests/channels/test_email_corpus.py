"""The recorded mail in tests/data/mail: every message parses, or fails with ParseError where it
is meant to, and says what it should (words, sender, loop signals, bounces, attachments, quotes)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields, is_dataclass
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from channels.email_mime import ParsedEmail, ParseError, clean_html, parse_email

CORPUS = Path(__file__).resolve().parents[1] / "data" / "mail"

# Made unreadable on purpose; each must fail with ParseError saying why.
UNPARSEABLE = {
    "34_unparseable_no_from.eml": "no sender address",
    "35_unparseable_deep_nesting.eml": "nesting deeper than",
}


@dataclass(frozen=True)
class Expected:
    sender: str
    subject: str
    text: str  # a fragment of the new words, or all of them with exact=True
    exact: bool = False
    quoted: str = ""  # a fragment of what was cut; "" means nothing was
    display_name: str | None = None
    ticket_hint: int | None = None
    automated: str | None = None
    bounces: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)
    reply_tokens: list[str] = field(default_factory=list)
    auth: dict[str, str] = field(default_factory=dict)
    html_has: tuple[str, ...] = ()
    html_lacks: tuple[str, ...] = ()


EXPECTED: dict[str, Expected] = {
    "01_alternative_utf8_qp.eml": Expected(
        "emilie.laurent@example.net",
        "Cracked lid on my kettle",
        "arrived with a cracked lid on the kettle",
        display_name="Émilie Laurent",
        html_has=("<b>cracked lid</b>",),
    ),
    "02_nested_mixed_related_alternative.eml": Expected(
        "ravi.kumar@example.org",
        "Photos of the damaged parcel",
        "The box was crushed on one corner, see the photo below.\nThe invoice is attached.",
        attachments=["damage.png", "invoice-2026-03.pdf"],
        html_has=('src="cid:damage.png@example.org"',),
    ),
    "03_gbk_8bit.eml": Expected(
        "li.sitong@example.net",
        "电饭煲还没有发货",
        "我上周订购的电饭煲（订单号 88231）到现在还没有发货",
        display_name="李思彤",
    ),
    "04_gb2312_qp.eml": Expected(
        "wang.zhe@example.net",
        "发票抬头修改",
        "发票抬头需要改成“上海示例贸易有限公司”，税号不变。麻烦重新开一张。\n\n王喆",
        display_name="王喆",
    ),
    "05_big5_base64.eml": Expected(
        "chen.yijun@example.org",
        "退款進度查詢",
        "我想查詢訂單 77310 的退款進度",
        display_name="陳怡君",
    ),
    "06_iso2022jp.eml": Expected(
        "hina.yamada@example.net",
        "商品が届きません",
        "注文番号 40917 の商品がまだ届いておりません。",
        display_name="山田 陽菜",
    ),
    "07_latin1_qp.eml": Expected(
        "francois.dubois@example.net",
        "Commande abîmée",
        "La commande n° 3318 est arrivée abîmée, l’emballage était déchiré.",
        display_name="François Dubois",
    ),
    "08_rfc2047_split_b_and_q.eml": Expected(
        "jonas.becker@example.net",
        "退货申请 – Rückgabe order 6620",
        "Ich möchte die Bestellung 6620 zurückgeben.",
    ),
    "09_rfc2231_attachments.eml": Expected(
        "zhou.lei@example.net",
        "Order details and payment proof",
        "Please find the order list and the payment proof attached.",
        exact=True,
        attachments=["订单明细.xlsx", "Überweisungsbestätigung März.pdf"],
    ),
    "10_missing_closing_boundary.eml": Expected(
        "aisha.bello@example.org",
        "Wrong size delivered",
        "I ordered the jacket in M but received XL. How do I exchange it?",
        exact=True,
        html_has=("<p>I ordered the jacket",),
    ),
    "11_wrong_boundary.eml": Expected(
        "pedro.alves@example.net",
        "Parcel left at the wrong door",
        "The courier left my parcel at number 14 instead of 41. The receipt is attached.",
        exact=True,
        attachments=["receipt.txt"],
    ),
    "12_missing_charset_utf8_lf.eml": Expected(
        "lena.schmidt@example.net",
        "Kettle switch",
        "Grüße aus Köln — the kettle's switch broke after two days.",
        exact=True,
    ),
    "13_missing_charset_gbk.eml": Expected(
        "sun.xiaoqi@example.net",
        "Invoice request",
        "请把订单 90218 的电子发票发到这个邮箱。",
        exact=True,
    ),
    "14_html_only.eml": Expected(
        "olivia.brown@example.org",
        "Missing items",
        "Hi there,\n\nTwo items were missing from order 3002:\nfirst the charger,\nthen the manual."
        "\n\n- USB-C charger\n- User manual\n\nRegards,\nOlivia",
        exact=True,
        html_lacks=("<style", "<title", "color:red"),
    ),
    "15_outlook_reply.eml": Expected(
        "tom.brennick@example.org",
        "RE: Replacement part [#4821]",
        "The part fits, thank you. You can close the ticket.\n\nTom",
        exact=True,
        quoted="Sent: Monday, March 2, 2026 9:14 AM",
        ticket_hint=4821,
    ),
    "16_outlook_original_message.eml": Expected(
        "karen.millbrook@example.net",
        "RE: Refund approved",
        "Could you also refund the shipping fee?\n\nKaren",
        exact=True,
        quoted="-----Original Message-----",
    ),
    "17_gmail_reply.eml": Expected(
        "maria.garcia@example.net",
        "Re: Delivery address [#5120]",
        "Yes, please ship it to the new address in Valencia.",
        exact=True,
        quoted="> could you confirm the delivery address?",
        ticket_hint=5120,
    ),
    "18_foxmail_reply_gbk.eml": Expected(
        "zhao.xiaoyu@example.net",
        "回复：送货时间",
        "好的，我明天在家，可以送货。",
        exact=True,
        quoted="原始邮件",
        display_name="赵小雨",
    ),
    "19_netease_reply.eml": Expected(
        "zhou.mingyuan@example.net",
        "回复：安装预约",
        "周三下午两点可以，麻烦师傅带上膨胀螺丝。",
        exact=True,
        quoted="发件人：示例客服",
    ),
    "20_apple_mail_chinese_reply.eml": Expected(
        "lin.xiao@example.org",
        "Re: 退款到账",
        "收到，谢谢！",
        exact=True,
        quoted="您的退款已处理",
    ),
    "21_signature.eml": Expected(
        "greta.lindqvist@example.org",
        "Warranty card",
        "Hi,\n\nThe warranty card is missing from the box. Can you email a copy?\n\nThanks,\nGreta",
        exact=True,
        quoted="Purchasing, Example Garden Supplies",
    ),
    "22_dsn_bounce.eml": Expected(
        "mailer-daemon@mx.example.net",
        "Undelivered Mail Returned to Sender",
        "could not\nbe delivered to one or more recipients",
        automated="delivery status notification",
        bounces=["olga.pirogova@example.net"],
        attachments=["message.eml"],
    ),
    "23_mailer_daemon_plain_bounce.eml": Expected(
        "mailer-daemon@mail.example.org",
        "Mail delivery failed: returning message to sender",
        "This is a permanent error.",
        automated="mailer-daemon sender",
        bounces=["wrong.address@example.org"],
    ),
    "24_auto_submitted_auto_replied.eml": Expected(
        "henrik.olsen@example.net",
        "Automatic reply: Your request [#7001]",
        "I am out of the office until 9 March",
        ticket_hint=7001,
        automated="auto-submitted: auto-replied",
    ),
    "25_x_autoreply.eml": Expected(
        "nora.hansen@example.org", "Out of office", "I am on holiday", automated="x-autoreply"
    ),
    "26_precedence_bulk.eml": Expected(
        "newsletter@example.org",
        "Spring offers are here",
        "Spring offers\n\nSeeds and tools at 20% off this week.",
        automated="precedence: bulk",
        html_has=('href="https://news.example.org/unsubscribe?u=26"',),
    ),
    "27_list_id.eml": Expected(
        "sam.tolley@example.net",
        "[customers] Anyone else seeing late deliveries?",
        "My last two orders arrived a week late.",
        automated="list-id",
    ),
    "28_nul_bytes.eml": Expected(
        "kofi.mensah@example.net",
        "Broken hinge",
        "The hinge on the cabinet door snapped after a week.",
        exact=True,
    ),
    "29_no_message_id.eml": Expected(
        "walter.green@example.net", "Catalogue request", "Please post me a printed catalogue."
    ),
    "30_ticket_tag.eml": Expected(
        "yuki.tanaka@example.org",
        "Re: Refund status [#1234]",
        "Has the refund been sent yet?",
        ticket_hint=1234,
    ),
    "31_reply_token.eml": Expected(
        "ahmed.hassan@example.net",
        "Re: Your repair booking",
        "Thursday morning works for me.",
        exact=True,
        quoted="> Which day suits you for the repair visit?",
        reply_tokens=["abc123"],
    ),
    "32_xss_html.eml": Expected(
        "eve.mallory@example.org",
        "<img src=x onerror=alert(1)> order question",
        "Please check my order 4410.",
        html_has=('href="https://shop.example.com/orders/4410"',),
        html_lacks=(
            "<script",
            "alert",
            "onerror",
            "onload",
            "javascript",
            "<iframe",
            "<svg",
            "<meta",
            "<base",
            "<form",
            "<input",
            "data:",
            "evil.example.org",
        ),
    ),
    "33_dmarc_fail.eml": Expected(
        "billing@example.net",
        "Urgent: update your bank details",
        "Please pay all open invoices",
        auth={"spf": "pass", "dkim": "fail", "dmarc": "fail"},
    ),
    "36_lying_charset_utf8_is_gbk.eml": Expected(
        "gao.yang@example.net", "Delivery time", "请问周末可以送货吗？我工作日不在家。", exact=True
    ),
    "37_x_auto_response_suppress.eml": Expected(
        "facilities@example.org",
        "Your meeting room booking was updated",
        "The booking for room 2 was moved to 14:00.",
        automated="x-auto-response-suppress",
    ),
    "38_noreply_sender.eml": Expected(
        "no-reply@shop.example.org",
        "Your password was changed",
        "Your password was changed.",
        automated="no-reply sender",
    ),
    "39_truncated_base64.eml": Expected(
        "ines.costa@example.net",
        "Grinding noise",
        "The vacuum cleaner makes a grinding noise when it starts.",
    ),
    "40_forwarded_rfc822_attachment.eml": Expected(
        "paul.marchetti@example.org",
        "Fwd: Price offer",
        "Your sales team sent me this offer. Is the price still valid?",
        exact=True,
        attachments=["price-offer.eml"],
    ),
    "41_raw_utf8_headers.eml": Expected(
        "huang.yifan@example.net", "退款问题", "我的退款什么时候到账？", display_name="黄一帆"
    ),
    "42_x_loop.eml": Expected(
        "helpdesk@example.org",
        "Re: Your ticket [#8800]",
        "Your ticket has been received",
        ticket_hint=8800,
        automated="x-loop",
    ),
    "43_big5_encoded_word_filename.eml": Expected(
        "zhang.shuyan@example.org",
        "報價單",
        "附件是報價單，請確認。",
        display_name="張偉",
        attachments=["報價單.pdf"],
    ),
    "44_interleaved_reply_mobile_signature.eml": Expected(
        "chloe.martin@example.net",
        "Re: Which colour and size? [#5300]",
        "Blue, please.\nLarge.",
        exact=True,
        quoted="Sent from my iPhone",
        ticket_hint=5300,
    ),
    "45_postmaster_dsn_gb2312.eml": Expected(
        "postmaster@mail.example.net",
        "系统退信",
        "您发送的邮件无法送达以下收件人",
        automated="delivery status notification",
        bounces=["ghost@example.net"],
    ),
}


def corpus_files() -> list[str]:
    return sorted(path.name for path in CORPUS.glob("*.eml"))


def parse(name: str) -> ParsedEmail:
    return parse_email((CORPUS / name).read_bytes())


def test_every_corpus_file_has_an_expectation() -> None:
    assert len(corpus_files()) >= 30
    assert set(corpus_files()) == set(EXPECTED) | set(UNPARSEABLE)


@pytest.mark.parametrize(("name", "reason"), sorted(UNPARSEABLE.items()))
def test_unparseable_mail_fails_with_parse_error(name: str, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse(name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_message_reads_as_expected(name: str) -> None:
    expected, mail = EXPECTED[name], parse(name)
    assert (mail.from_address, mail.subject) == (expected.sender, expected.subject)
    assert mail.text == expected.text if expected.exact else expected.text in mail.text
    if expected.quoted:
        assert expected.quoted in mail.quoted and expected.quoted not in mail.text
    else:
        assert mail.quoted == ""
    if expected.display_name is not None:
        assert mail.display_name == expected.display_name
    assert mail.ticket_hint == expected.ticket_hint
    assert mail.automated == expected.automated
    assert mail.bounce_recipients == expected.bounces
    assert [a["filename"] for a in mail.attachments] == expected.attachments
    assert mail.reply_tokens == expected.reply_tokens
    assert mail.auth_results == expected.auth
    assert all(fragment in mail.html for fragment in expected.html_has)
    assert not [f for f in expected.html_lacks if f in mail.html.lower()]


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in strings(key) + strings(item)]
    if isinstance(value, list | tuple):
        return [s for item in value for s in strings(item)]
    if is_dataclass(value) and not isinstance(value, type):
        return [s for f in fields(value) for s in strings(getattr(value, f.name))]
    return []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_strings_can_be_stored(name: str) -> None:
    """No NUL and no lone surrogate anywhere, so PostgreSQL takes every value as it is."""
    found = strings(parse(name))
    assert len(found) > 5
    for value in found:
        assert "\x00" not in value
        value.encode("utf-8")


def test_message_ids_identify_corpus_mail() -> None:
    assert parse("29_no_message_id.eml").message_id.startswith("<sha256-")
    assert parse("29_no_message_id.eml").message_id == parse("29_no_message_id.eml").message_id
    assert parse("17_gmail_reply.eml").message_id == "<CAGmail17+xyz@mail.example.net>"
    assert parse("17_gmail_reply.eml").in_reply_to == "<outbox-5120-2@example.com>"
    assert parse("17_gmail_reply.eml").references == [
        "<outbox-5120-1@example.com>",
        "<outbox-5120-2@example.com>",
    ]


def test_corpus_attachment_bytes_and_inline_images() -> None:
    mail = parse("02_nested_mixed_related_alternative.eml")
    image, invoice = mail.parts
    assert (image.inline, image.content_id, image.content[:4]) == (
        True,
        "damage.png@example.org",
        b"\x89PNG",
    )
    assert (invoice.inline, invoice.content_type, invoice.content[:5]) == (
        False,
        "application/pdf",
        b"%PDF-",
    )
    assert [a["size"] for a in mail.attachments] == [len(image.content), len(invoice.content)]
    forwarded = parse("40_forwarded_rfc822_attachment.eml").parts[0]
    assert forwarded.content_type == "message/rfc822"
    assert b"The offer is 120 EUR per unit." in forwarded.content


def corpus_html() -> list[tuple[str, str]]:
    """Every text/html part of the corpus, decoded, as sent (before any cleaning)."""
    found = []
    for name in corpus_files():
        message = message_from_bytes((CORPUS / name).read_bytes(), policy=policy.compat32)
        for part in message.walk():
            payload = part.get_payload(decode=True)
            if part.get_content_type() == "text/html" and isinstance(payload, bytes):
                found.append((name, payload.decode(part.get_content_charset() or "utf-8")))
    return found


@pytest.mark.parametrize(("name", "html"), corpus_html())
def test_html_cleaning_is_idempotent(name: str, html: str) -> None:
    """clean(clean(x)) == clean(x) for each corpus HTML and for prefixes cut at ten points,
    which leave tags, attributes and entities open."""
    for cut in {len(html) * step // 10 for step in range(1, 11)}:
        once = clean_html(html[:cut])
        assert clean_html(once) == once, (name, cut)
        assert "<script" not in once and "javascript:" not in once.lower()


def mutations(raw: bytes, seed: int) -> list[bytes]:
    """Truncations, flipped bytes, dropped and doubled lines: the shapes of damaged mail."""
    rng = random.Random(seed)
    lines = raw.split(b"\n")
    out = [raw[: rng.randrange(len(raw))] for _ in range(6)]
    for _ in range(6):
        flipped = bytearray(raw)
        for _ in range(rng.randrange(1, 8)):
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
        out.append(bytes(flipped))
    for _ in range(6):
        index = rng.randrange(len(lines))
        dropped = lines[:index] + lines[index + 1 :]
        doubled = lines[:index] + lines[index : index + 3] * 2 + lines[index + 3 :]
        out += [b"\n".join(dropped), b"\n".join(doubled)]
    return out


@pytest.mark.parametrize("name", corpus_files())
def test_damaged_corpus_mail_raises_nothing_but_parse_error(name: str) -> None:
    raw = (CORPUS / name).read_bytes()
    for index, damaged in enumerate(mutations(raw, seed=len(raw))):
        try:
            parse_email(damaged)
        except ParseError:
            continue
        except Exception as exc:  # the point of the test: report which mutation escaped
            pytest.fail(f"{name} mutation {index}: {type(exc).__name__}: {exc}")

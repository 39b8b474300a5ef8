"""Undeclared 8-bit text is read in the charset the evidence points to, not in a fixed order."""

from __future__ import annotations

import time

import pytest

from channels.email_charsets import MAX_DETECT_BYTES, choose_charset, decode_text
from channels.email_mime import parse_email

# (subject, display name, how the sender's client wrote them, the body charset it declares)
WRITTEN = [
    ("Formação em Gestão de Verão", "João Conceição", "latin-1", "iso-8859-1"),
    ("Formação … Verão", "Zoë Brontë", "cp1252", "windows-1252"),
    ("“Refund” of 20 € please", "Renée O’Hara", "cp1252", "windows-1252"),
    ("订单退款问题", "王小明", "gbk", "gbk"),
    ("退款", "张书言", "gbk", "gb2312"),
    ("請確認訂單", "陳大文", "big5", "big5"),
    ("注文の確認", "山田太郎", "shift_jis", "shift_jis"),
    ("お問い合わせ", "カスタマー", "shift_jis", "shift_jis"),
    ("Réclamation: colis abîmé", "Gérard Dupré", "utf-8", "utf-8"),
    ("退货申请", "李雷", "utf-8", "utf-8"),
]


def raw_mail(subject: str, name: str, charset: str, body_charset: str | None) -> bytes:
    content_type = f"Content-Type: text/plain; charset={body_charset}\r\n" if body_charset else ""
    return (
        b"From: " + name.encode(charset) + b" <sender@example.net>\r\n"
        b"Subject: " + subject.encode(charset) + b"\r\n" + content_type.encode() + b"\r\n"
        b"Hello\r\n"
    )


@pytest.mark.parametrize("declared", [True, False], ids=["body charset", "no charset"])
@pytest.mark.parametrize(("subject", "name", "charset", "body_charset"), WRITTEN)
def test_raw_header_bytes_read_as_written(
    subject: str, name: str, charset: str, body_charset: str, declared: bool
) -> None:
    mail = parse_email(raw_mail(subject, name, charset, body_charset if declared else None))
    assert (mail.subject, mail.display_name) == (subject, name)


def test_the_declared_body_charset_settles_an_ambiguous_short_value() -> None:
    # Two bytes that are a Latin-1 letter pair and a rare ideograph in GB18030.
    assert decode_text("Verão".encode("latin-1"), None, ["gbk"]) == "Verão"
    # A GBK name with a character outside GB2312: ambiguous alone, clear with the hint.
    assert decode_text("张玥".encode("gbk"), None, ["gb2312"]) == "张玥"


def test_a_declared_charset_that_reads_as_garbage_gives_way() -> None:
    assert decode_text("退款".encode("gbk"), None, ["iso-8859-1"]) == "退款"
    assert decode_text("Formação".encode("latin-1"), None, ["gbk"]) == "Formação"


def test_a_body_part_without_a_charset_is_read_by_evidence() -> None:
    body = "Olá, a encomenda chegou danificada. Obrigado, João".encode("latin-1")
    raw = b"From: a@example.net\r\nContent-Type: text/plain\r\n\r\n" + body
    assert parse_email(raw).text == "Olá, a encomenda chegou danificada. Obrigado, João"
    chinese = "您好，我的订单还没有收到，请帮忙查一下物流。".encode("gbk")
    raw = b"From: a@example.net\r\nContent-Type: text/plain\r\n\r\n" + chinese
    assert parse_email(raw).text == "您好，我的订单还没有收到，请帮忙查一下物流。"


def test_detection_sees_a_bounded_sample() -> None:
    big = ("Preço de devolução: 20 €\n" * 100_000).encode("cp1252")
    started = time.perf_counter()
    assert choose_charset(big) == "cp1252"
    assert len(big) > 100 * MAX_DETECT_BYTES and time.perf_counter() - started < 0.5

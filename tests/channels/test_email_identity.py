"""The content digest that tells a redelivery from a different mail under the same Message-ID."""

from channels.email_identity import content_digest, is_trace_header

MAIL = (
    b"From: Casey <casey@example.net>\r\nTo: support@example.com\r\nSubject: Broken lid\r\n"
    b"Message-ID: <lid@example.net>\r\n\r\nThe lid is broken.\r\nPhoto attached.\r\n"
)


def test_trace_headers_added_on_the_way_do_not_count() -> None:
    hops = (
        b"Received: from a.example.org\r\n\tby b.example.org; Mon, 2 Mar 2026 10:00:00 +0000\r\n"
        b"Delivered-To: support@example.com\r\nReturn-Path: <x@example.net>\r\n"
        b"X-Original-To: help@example.com\r\nARC-Seal: i=1; cv=none\r\n"
        b"ARC-Message-Signature: i=1; a=rsa-sha256\r\nX-Received: by 10.0.0.1\r\n"
        b"Authentication-Results: mx.example.com; dmarc=pass\r\nX-Spam-Score: 0.1\r\n"
    )
    assert content_digest(hops + MAIL) == content_digest(MAIL)


def test_line_endings_folding_and_trailing_space_do_not_count() -> None:
    relaxed = (
        MAIL.replace(b"\r\n", b"\n")
        .replace(b"Subject: Broken lid", b"subject:   Broken\n  lid")
        .replace(b"broken.", b"broken.   ")
    )
    assert content_digest(relaxed + b"\n\n") == content_digest(MAIL)


def test_any_other_change_makes_a_different_message() -> None:
    assert content_digest(MAIL.replace(b"lid is", b"lid was")) != content_digest(MAIL)
    assert content_digest(MAIL.replace(b"Broken lid", b"Broken cup")) != content_digest(MAIL)
    assert content_digest(b"X-Mailer: Cheap 1.0\r\n" + MAIL) != content_digest(MAIL)


def test_headers_without_a_body_and_odd_lines_still_digest() -> None:
    assert len(content_digest(b"Subject: only headers")) == 64
    assert content_digest(b"not a header\r\n\r\nbody") != content_digest(b"\r\n\r\nbody")


def test_trace_headers_are_named_case_insensitively() -> None:
    assert is_trace_header("RECEIVED") and is_trace_header(" arc-authentication-results")
    assert not is_trace_header("Subject") and not is_trace_header("DKIM-Signature")

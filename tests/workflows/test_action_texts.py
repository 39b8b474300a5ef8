"""Filling the definition's texts never fails a complaint: a placeholder saved before texts
were checked is sent as written, with a warning in the log."""

from __future__ import annotations

import logging

import pytest

from contact_center.workflows.action_rules import definition_text, fill


def test_known_placeholders_are_filled_and_escaped_braces_kept() -> None:
    assert fill("#{number} {{1-5}} {link}", {"number": 7, "link": "L"}) == "#7 {1-5} L"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Thanks {name}, #{number}", "Thanks {name}, #12"),
        ("Rate us {1-5}", "Rate us {1-5}"),
        ("Rate us {", "Rate us {"),
        ("#{number!r}", "#{number!r}"),
    ],
)
def test_an_unknown_placeholder_is_sent_as_written_with_a_warning(
    template: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="contact_center.workflows.action_rules")
    texts = {"acknowledgement": {"en": template}}
    assert definition_text(texts, "acknowledgement", "en", number=12) == expected
    assert any(r.levelno == logging.WARNING for r in caplog.records)

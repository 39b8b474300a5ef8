"""The SMS length rule, on the cases the browser's copy of it is tested on too."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from contact_center.tickets import sms_length

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).with_name("sms_length_cases.json")).read_text()
)


def case_text(case: dict[str, Any]) -> str:
    """A case's text: `prefix` repeated, then `text`, then `repeat` and `repeat_after`."""
    parts = [case.get("prefix"), None, case.get("repeat"), case.get("repeat_after")]
    text = ""
    for n, part in enumerate(parts):
        if n == 1:
            text += case.get("text", "")
        elif part:
            text += part[0] * part[1]
    return text


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_sms_length_matches_the_shared_cases(case: dict[str, Any]) -> None:
    found = sms_length(case_text(case))
    assert (found.encoding, found.units, found.segments, found.remaining) == (
        case["encoding"],
        case["units"],
        case["segments"],
        case["remaining"],
    )


def test_characters_are_counted_as_people_count_them() -> None:
    assert sms_length("Thanks 👍").characters == 8
    assert sms_length("您好").characters == 2
    assert sms_length("a" * 200).per_segment == 153
    assert sms_length("好" * 10).per_segment == 70

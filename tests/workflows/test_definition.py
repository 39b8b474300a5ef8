"""Reading the shipped complaint definition and refusing broken ones with a path."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from contact_center.workflows import Action, ClockMode, DefinitionError, parse_definition
from contact_center.workflows.definition import shipped_body, structure


def shipped() -> dict[str, Any]:
    return copy.deepcopy(shipped_body("complaint"))


def test_the_shipped_complaint_definition_reads_with_its_seven_steps() -> None:
    definition = parse_definition(shipped())
    assert [s.key for s in definition.steps] == [
        "received",
        "acknowledged",
        "triaged",
        "investigating",
        "resolved",
        "callback_done",
        "closed",
    ]
    received = definition.step("received")
    assert received.automatic and received.on_enter[0] is Action.ACKNOWLEDGE
    assert received.deadline["default"].mode is ClockMode.WALL
    resolved = definition.step("resolved").deadline["key_account"]
    assert (resolved.within, resolved.mode, resolved.from_case_start) == (
        "24h",
        ClockMode.WALL,
        True,
    )
    assert definition.step("acknowledged").deadline["default"].mode is ClockMode.BUSINESS
    assert definition.reopen_to == "investigating" and definition.warn_at == 0.8
    assert definition.step("closed").final


def refusal_of(body: dict[str, Any]) -> DefinitionError:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(body)
    return caught.value


def test_a_step_named_twice_is_refused_at_its_key() -> None:
    body = shipped()
    body["steps"][2]["key"] = "acknowledged"
    error = refusal_of(body)
    assert error.path == "steps[2].key" and "twice" in error.message


def test_a_next_step_that_does_not_exist_is_refused() -> None:
    body = shipped()
    body["steps"][1]["next"] = ["triage"]
    assert refusal_of(body).path == "steps[1].next[0]"


def test_two_final_steps_or_none_are_refused() -> None:
    body = shipped()
    body["steps"][5]["final"] = True
    body["steps"][5].pop("deadline")
    assert "exactly one" in refusal_of(body).message
    body = shipped()
    body["steps"][6]["final"] = False
    assert refusal_of(body).path == "steps"


def test_an_unknown_required_field_names_the_known_ones() -> None:
    body = shipped()
    body["steps"][1]["leave_requires"] = ["owner", "mood"]
    error = refusal_of(body)
    assert error.path == "steps[1].leave_requires[1]" and "root_cause" in error.message


def test_an_unknown_action_is_refused() -> None:
    body = shipped()
    body["steps"][0]["on_enter"] = ["acknowledge", "send_flowers"]
    assert refusal_of(body).path == "steps[0].on_enter[1]"


@pytest.mark.parametrize("text", ["2 hours", "0h", "h", "2w", ""])
def test_a_deadline_that_is_no_duration_is_refused(text: str) -> None:
    body = shipped()
    body["steps"][1]["deadline"]["default"] = text
    error = refusal_of(body)
    assert error.path == "steps[1].deadline.default"


def test_a_deadline_object_with_an_unknown_clock_is_refused_by_the_schema() -> None:
    body = shipped()
    body["steps"][4]["deadline"]["key_account"]["clock"] = "lunar"
    assert refusal_of(body).path.startswith("steps[4].deadline.key_account")


def test_a_deadline_without_a_default_entry_is_refused() -> None:
    body = shipped()
    body["steps"][1]["deadline"] = {"key_account": "1h"}
    assert refusal_of(body).path in ("steps[1].deadline", "steps[1].deadline.default")


def test_a_share_outside_zero_and_one_is_refused() -> None:
    body = shipped()
    body["warn_at"] = 1.5
    assert refusal_of(body).path == "warn_at"


def test_reopen_to_must_name_a_step_that_is_not_final() -> None:
    body = shipped()
    body["reopen_to"] = "closed"
    assert refusal_of(body).path == "reopen_to"


def test_the_structure_ignores_deadlines_shares_and_texts_but_not_transitions() -> None:
    body = shipped()
    edited = shipped()
    edited["steps"][1]["deadline"]["default"] = "3h"
    edited["steps"][1]["warn_at"] = 0.5
    edited["texts"]["survey"]["en"] = "How did we do? {link}"
    edited["steps"][1]["title"]["en"] = "Thanked"
    assert structure(edited) == structure(body)
    edited["steps"][1]["next"] = ["investigating"]
    assert structure(edited) != structure(body)


@pytest.mark.parametrize(
    ("name", "text", "named"),
    [
        ("acknowledgement", "Thanks {name}, ticket #{number}", "{name}"),
        ("survey", "Rate us {1-5}: {link}", "{1-5}"),
        ("acknowledgement", "See {link}", "{link}"),
        ("survey", "#{number:>8}", "{number}"),
        ("survey", "Rate us {", "brace"),
    ],
)
def test_a_text_with_a_placeholder_it_cannot_fill_is_refused_on_save(
    name: str, text: str, named: str
) -> None:
    body = shipped()
    body["texts"][name]["en"] = text
    error = refusal_of(body)
    assert error.path == f"texts.{name}.en"
    assert named in error.message and name in error.message


def test_known_placeholders_and_escaped_braces_are_accepted() -> None:
    body = shipped()
    body["texts"]["survey"]["en"] = "#{number} {{1-5}}: {link}"
    definition = parse_definition(body)
    assert definition.texts["survey"]["en"].endswith("{link}")

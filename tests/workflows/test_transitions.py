"""Which moves a case may make and what it needs to leave its step."""

from __future__ import annotations

from uuid import uuid4

from hypothesis import given
from hypothesis import strategies as st

from contact_center.workflows import parse_definition, transitions
from contact_center.workflows.definition import shipped_body

DEFINITION = parse_definition(shipped_body("complaint"))
STEPS = [s.key for s in DEFINITION.steps]


def test_leaving_acknowledged_needs_an_owner_then_a_category() -> None:
    refused = transitions.refusal(DEFINITION, "acknowledged", "triaged", {}, assignee_id=None)
    assert refused is not None and refused.field == "owner"
    assert refused.message == "To leave Acknowledged, assign the ticket to an owner."
    refused = transitions.refusal(DEFINITION, "acknowledged", "triaged", {}, assignee_id=uuid4())
    assert refused is not None and refused.field == "category"
    assert refused.message == "To leave Acknowledged, choose a category."


def test_a_blank_text_does_not_count_as_given() -> None:
    step = DEFINITION.step("triaged")
    assert transitions.missing(step, {"facts": "   "}, assignee_id=None) == ("facts",)
    assert transitions.missing(step, {"facts": "Box arrived crushed"}, assignee_id=None) == ()


def test_a_move_the_step_does_not_lead_to_is_refused_without_a_field() -> None:
    refused = transitions.refusal(DEFINITION, "triaged", "closed", {"facts": "x"}, assignee_id=None)
    assert refused is not None and refused.field is None
    assert "cannot move" in refused.message


def test_a_resolved_case_may_go_back_to_investigating() -> None:
    assert transitions.may_move(DEFINITION, "resolved", "investigating")
    assert not transitions.may_move(DEFINITION, "received", "closed")


def test_the_customer_reopens_a_case_only_once_it_is_past_investigating() -> None:
    assert transitions.reopen_step(DEFINITION) == "investigating"
    assert [s for s in STEPS if transitions.reopens(DEFINITION, s, closed=False)] == [
        "resolved",
        "callback_done",
        "closed",
    ]


def test_a_key_account_takes_its_own_deadline_where_the_step_has_one() -> None:
    assert transitions.deadline_tier(True, DEFINITION.step("acknowledged")) == "key_account"
    assert transitions.deadline_tier(True, DEFINITION.step("callback_done")) == "default"
    assert transitions.deadline_tier(False, DEFINITION.step("acknowledged")) == "default"
    assert transitions.deadline_tier(True, DEFINITION.step("closed")) is None


def test_only_the_received_step_is_left_by_the_system() -> None:
    assert [s for s in STEPS if transitions.next_automatic(DEFINITION, s)] == ["received"]


@given(
    current=st.sampled_from(STEPS),
    to=st.sampled_from(STEPS),
    fields=st.dictionaries(
        st.sampled_from(["category", "facts", "resolution", "root_cause", "callback_outcome"]),
        st.text(max_size=5),
    ),
    owned=st.booleans(),
)
def test_a_move_is_allowed_exactly_when_it_is_a_next_step_and_nothing_is_missing(
    current: str, to: str, fields: dict[str, str], owned: bool
) -> None:
    assignee = uuid4() if owned else None
    refused = transitions.refusal(DEFINITION, current, to, fields, assignee_id=assignee)
    step = DEFINITION.step(current)
    allowed = to in step.next and not transitions.missing(step, fields, assignee_id=assignee)
    assert (refused is None) == allowed

"""A case as the API and the ticket page show it: its steps done, current and to do, where it
may go next and what each move still needs. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from contact_center.workflows import transitions
from contact_center.workflows.model import Case, Definition, Step
from contact_center.workflows.transitions import title


def _deadline(step: Step, key_account: bool) -> dict[str, Any] | None:
    tier = transitions.deadline_tier(key_account, step)
    if tier is None:
        return None
    deadline = step.deadline[tier]
    return {"within": deadline.within, "mode": deadline.mode.value}


def case_json(
    definition: Definition,
    case: Case,
    history: Sequence[Mapping[str, Any]],
    *,
    assignee_id: UUID | None,
    language: str,
) -> dict[str, Any]:
    """The case per the API's `case` object."""
    keys = [s.key for s in definition.steps]
    current_index = keys.index(case.step)
    current = definition.step(case.step)
    closed = current.final
    steps = []
    for index, step in enumerate(definition.steps):
        if step.key == case.step:
            state = "done" if closed else "current"
        elif index < current_index:
            state = "done"
        else:
            state = "todo"
        steps.append(
            {
                "key": step.key,
                "title": title(step.title, language),
                "state": state,
                "requires": list(step.leave_requires),
                "deadline": _deadline(step, case.key_account),
            }
        )
    lacking = list(transitions.missing(current, case.fields, assignee_id=assignee_id))
    moves = [
        {
            "key": key,
            "title": title(definition.step(key).title, language),
            "requires": list(current.leave_requires),
            "missing": lacking,
        }
        for key in current.next
    ]
    return {
        "id": case.id,
        "ticket_id": case.ticket_id,
        "definition": {
            "name": definition.name,
            "version": definition.version,
            "title": title(definition.title, language),
        },
        "step": case.step,
        "step_title": title(current.title, language),
        "state": case.state.value,
        "source": case.source.value,
        "confidence": case.confidence,
        "matched": list(case.matched),
        "fields": {**case.fields, "owner": assignee_id},
        "opened_at": case.opened_at,
        "step_entered_at": case.step_entered_at,
        "closed_at": case.closed_at,
        "key_account": case.key_account,
        "steps": steps,
        "next": moves,
        "history": [
            {
                "step": h["step"],
                "title": title(definition.step(h["step"]).title, language)
                if h["step"] in keys
                else h["step"],
                "entered_at": h["entered_at"],
                "left_at": h["left_at"],
                "entered_by_name": h["entered_by_name"],
            }
            for h in history
        ],
    }

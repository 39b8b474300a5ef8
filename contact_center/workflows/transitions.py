"""Which step a case may move to and what it needs to leave its step. Pure."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from contact_center.i18n import N_
from contact_center.i18n import gettext as _
from contact_center.workflows.model import Definition, Step

# What to do to give a step each field it may require, said to the agent.
TO_PROVIDE: dict[str, str] = {
    "owner": N_("assign the ticket to an owner"),
    "category": N_("choose a category"),
    "facts": N_("write down the facts"),
    "resolution": N_("describe the resolution"),
    "root_cause": N_("choose a root cause"),
    "callback_outcome": N_("record the outcome of the callback"),
}


@dataclass(frozen=True)
class Refusal:
    """Why a move is refused: a missing field (`field` set) or a move the step does not allow."""

    message: str
    field: str | None = None


def may_move(definition: Definition, current: str, to: str) -> bool:
    """Whether the definition leads from step `current` to step `to`."""
    try:
        return to in definition.step(current).next
    except KeyError:
        return False


def provided(name: str, fields: Mapping[str, Any], *, assignee_id: UUID | None) -> bool:
    """Whether a case has field `name`: owner is the ticket's assignee; the others are a
    non-blank value saved on the case."""
    if name == "owner":
        return assignee_id is not None
    value = fields.get(name)
    return isinstance(value, str) and bool(value.strip())


def missing(step: Step, fields: Mapping[str, Any], *, assignee_id: UUID | None) -> tuple[str, ...]:
    """The fields `step` requires to be left that the case lacks, in the definition's order."""
    return tuple(
        name for name in step.leave_requires if not provided(name, fields, assignee_id=assignee_id)
    )


def title(titled: Mapping[str, str], language: str) -> str:
    """A step's (or definition's) title in `language`, else English, else any."""
    return titled.get(language) or titled.get("en") or next(iter(titled.values()), "")


def refusal(
    definition: Definition,
    current: str,
    to: str,
    fields: Mapping[str, Any],
    *,
    assignee_id: UUID | None,
    language: str = "en",
) -> Refusal | None:
    """None when the case may move from `current` to `to` with `fields`; else why not."""
    try:
        step = definition.step(current)
        target = definition.step(to)
    except KeyError:
        return Refusal(_("There is no step called {step}.").format(step=to))
    if to not in step.next:
        return Refusal(
            _("A case in {current} cannot move to {to}.").format(
                current=title(step.title, language), to=title(target.title, language)
            )
        )
    lacking = missing(step, fields, assignee_id=assignee_id)
    if lacking:
        return Refusal(
            _("To leave {step}, {todo}.").format(
                step=title(step.title, language), todo=_(TO_PROVIDE[lacking[0]])
            ),
            field=lacking[0],
        )
    return None


def reopen_step(definition: Definition) -> str:
    """The step a resolved or closed case reopens to when the customer writes again."""
    return definition.reopen_to


def reopens(definition: Definition, step: str, *, closed: bool) -> bool:
    """Whether a customer's message reopens a case in `step`: once it is resolved (the
    reopen step is among its next steps and it is past it) or closed."""
    if closed or definition.step(step).final:
        return True
    reopen_index = _index(definition, definition.reopen_to)
    return _index(definition, step) > reopen_index


def _index(definition: Definition, key: str) -> int:
    return [s.key for s in definition.steps].index(key)


def next_automatic(definition: Definition, step: str) -> str | None:
    """Where the system takes a case from an automatic step (None: a person moves it)."""
    current = definition.step(step)
    return current.next[0] if current.automatic and current.next else None


def deadline_tier(key_account: bool, step: Step) -> str | None:
    """Which deadline entry of `step` applies: a key account's when it has one."""
    if not step.deadline:
        return None
    if key_account and "key_account" in step.deadline:
        return "key_account"
    return "default"

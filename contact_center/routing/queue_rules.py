"""What a queue's settings may be, alone and among the other queues. Pure: no I/O.

`changed_queue` checks the fields of one queue (name, label, kinds, skills, hours, strategy,
limits); `check_queues` checks the whole set after a change: one default queue, each ticket
kind in at most one queue, overflow to a queue that exists and never back round to itself.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from contact_center.errors import Invalid
from contact_center.routing.hours import hours_json
from contact_center.routing.model import Queue, Strategy

# Lower-case letters, digits, `-` and `_`: names appear in URLs and in agents' queue lists.
NAME_RE = re.compile(r"^[a-z][a-z0-9_-]{0,59}$")
MAX_LABEL = 100
MAX_SKILL = 60
MAX_SKILLS = 30
# Seconds: (lowest, highest) for each limit.
LIMITS = {
    "wait_limit_seconds": (1, 86_400),
    "service_level_seconds": (1, 3_600),
    "step_seconds": (1, 86_400),
}
FIELDS = (
    "name",
    "label",
    "kinds",
    "is_default",
    "skills",
    "hours",
    "strategy",
    *LIMITS,
    "overflow_queue",
)
NEW_QUEUE_DEFAULTS: dict[str, Any] = {
    "label": "",
    "kinds": [],
    "is_default": False,
    "skills": [],
    "hours": {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")},
    "strategy": Strategy.LONGEST_IDLE,
    "wait_limit_seconds": 600,
    "service_level_seconds": 20,
    "step_seconds": 120,
    "overflow_queue": None,
}


def check_name(raw: Any) -> str:
    if not isinstance(raw, str) or not NAME_RE.match(raw):
        raise Invalid(
            "a queue name is 1 to 60 lower-case letters, digits, - or _, starting with a letter",
            field="name",
        )
    return raw


def _label(raw: Any) -> str:
    if not isinstance(raw, str):
        raise Invalid("label must be text", field="label")
    label = " ".join(raw.split())
    if len(label) > MAX_LABEL:
        raise Invalid(f"label is at most {MAX_LABEL} characters", field="label")
    return label


def _strings(raw: Any, field: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise Invalid(f"{field} must be a list of text", field=field)
    found: list[str] = []
    for item in raw:
        item = " ".join(item.split())
        if item and item not in found:
            found.append(item)
    return found


def _kinds(raw: Any, ticket_kinds: Collection[str]) -> list[str]:
    kinds = _strings(raw, "kinds")
    for kind in kinds:
        if kind not in ticket_kinds:
            raise Invalid(
                f"{kind!r} is not a ticket kind; kinds are {', '.join(ticket_kinds)}", field="kinds"
            )
    return kinds


def _skills(raw: Any) -> list[str]:
    skills = _strings(raw, "skills")
    if len(skills) > MAX_SKILLS:
        raise Invalid(f"at most {MAX_SKILLS} skills", field="skills")
    for skill in skills:
        if len(skill) > MAX_SKILL:
            raise Invalid(f"a skill is at most {MAX_SKILL} characters", field="skills")
    return skills


def _strategy(raw: Any) -> Strategy:
    try:
        return Strategy(raw)
    except ValueError:
        raise Invalid(
            f"strategy is one of {', '.join(s.value for s in Strategy)}", field="strategy"
        ) from None


def _limit(raw: Any, field: str) -> int:
    low, high = LIMITS[field]
    if not isinstance(raw, int) or isinstance(raw, bool) or not low <= raw <= high:
        raise Invalid(f"{field} must be a whole number from {low} to {high}", field=field)
    return raw


def _flag(raw: Any, field: str) -> bool:
    if not isinstance(raw, bool):
        raise Invalid(f"{field} must be true or false", field=field)
    return raw


def _overflow(raw: Any) -> str | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        raise Invalid("overflow_queue must be a queue name or null", field="overflow_queue")
    return raw


def changed_queue(
    base: Queue, changes: Mapping[str, Any], *, ticket_kinds: Collection[str]
) -> Queue:
    """`base` with `changes` applied, each field checked and tidied (spaces trimmed, repeats
    dropped, hours in order); Invalid names the first field that is wrong."""
    unknown = sorted(set(changes) - set(FIELDS))
    if unknown:
        raise Invalid(f"unknown field {unknown[0]!r}", field=unknown[0])
    fields: dict[str, Any] = {}
    for field, raw in changes.items():
        if field == "name":
            fields[field] = check_name(raw)
        elif field == "label":
            fields[field] = _label(raw)
        elif field == "kinds":
            fields[field] = _kinds(raw, ticket_kinds)
        elif field == "skills":
            fields[field] = _skills(raw)
        elif field == "hours":
            fields[field] = hours_json(raw)
        elif field == "strategy":
            fields[field] = _strategy(raw)
        elif field in LIMITS:
            fields[field] = _limit(raw, field)
        elif field == "is_default":
            fields[field] = _flag(raw, field)
        else:
            fields[field] = _overflow(raw)
    queue = replace(base, **fields)
    return queue if queue.label else replace(queue, label=queue.name)


def new_queue(fields: Mapping[str, Any], *, ticket_kinds: Collection[str]) -> Queue:
    """A queue from the fields given and the defaults for the rest; `name` is required."""
    if "name" not in fields:
        raise Invalid("a queue needs a name", field="name")
    base = Queue(name=check_name(fields["name"]), **NEW_QUEUE_DEFAULTS)
    return changed_queue(base, fields, ticket_kinds=ticket_kinds)


def check_queues(queues: Collection[Queue]) -> None:
    """The rules that hold among all queues, checked on the set as it would be after a change."""
    by_name = {q.name: q for q in queues}
    defaults = [q.name for q in queues if q.is_default]
    if len(defaults) != 1:
        raise Invalid(
            "exactly one queue is the default (it takes the kinds no other queue lists); "
            "make another queue the default instead",
            field="is_default",
        )
    owner: dict[str, str] = {}
    for queue in sorted(queues, key=lambda q: q.name):
        for kind in queue.kinds:
            if kind in owner:
                raise Invalid(
                    f"ticket kind {kind!r} is already taken by queue {owner[kind]!r}; "
                    "a kind lands in one queue only",
                    field="kinds",
                )
            owner[kind] = queue.name
    for queue in queues:
        _check_overflow(queue, by_name)


def _check_overflow(queue: Queue, by_name: Mapping[str, Queue]) -> None:
    seen = [queue.name]
    target = queue.overflow_queue
    while target is not None:
        if target not in by_name:
            raise Invalid(f"no such queue: {target}", field="overflow_queue")
        if target in seen:
            path = " → ".join([*seen[seen.index(target) :], target])
            raise Invalid(f"overflow goes round in a circle: {path}", field="overflow_queue")
        seen.append(target)
        target = by_name[target].overflow_queue

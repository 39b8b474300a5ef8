"""Reading and validating workflow definitions (the shipped JSON file and stored versions).
Pure."""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from contact_center.errors import Invalid
from contact_center.workflows.model import Action, ClockMode, Definition, Step, StepDeadline
from contact_center.worktime import Duration

# The fields a step may ask for before a case leaves it (owner is the ticket's assignee).
KNOWN_FIELDS = ("owner", "category", "facts", "resolution", "root_cause", "callback_outcome")
TIERS = ("default", "key_account")
SHIPPED = ("complaint",)
# The placeholders each message text may use; anything else would fail when a complaint
# comes in, so it is refused when the definition is saved.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "acknowledgement": ("number",),
    "survey": ("number", "link"),
}

_TEXTS = {
    "type": "object",
    "minProperties": 1,
    "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 2000},
}
_DEADLINE_ENTRY = {
    "oneOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {
                "within": {"type": "string"},
                "clock": {"enum": [m.value for m in ClockMode]},
                "from": {"enum": ["step", "case"]},
            },
            "required": ["within"],
            "additionalProperties": False,
        },
    ]
}
_SHARE = {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"},
        "title": _TEXTS,
        "warn_at": _SHARE,
        "escalate_to": {"type": "string", "minLength": 1},
        "reopen_to": {"type": "string"},
        "steps": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "properties": {
                    "key": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$"},
                    "title": _TEXTS,
                    "next": {"type": "array", "items": {"type": "string"}},
                    "leave_requires": {"type": "array", "items": {"type": "string"}},
                    "on_enter": {"type": "array", "items": {"type": "string"}},
                    "automatic": {"type": "boolean"},
                    "deadline": {
                        "type": "object",
                        "properties": {tier: _DEADLINE_ENTRY for tier in TIERS},
                        "required": ["default"],
                        "additionalProperties": False,
                    },
                    "warn_at": _SHARE,
                    "escalate_to": {"type": "string", "minLength": 1},
                    "final": {"type": "boolean"},
                },
                "required": ["key", "title", "next"],
                "additionalProperties": False,
            },
        },
        "texts": {"type": "object", "additionalProperties": _TEXTS},
    },
    "required": ["name", "title", "steps"],
    "additionalProperties": False,
}
_VALIDATOR = Draft202012Validator(SCHEMA)


class DefinitionError(ValueError):
    """A definition that cannot run; `path` says where ("steps[2].deadline.default")."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path
        self.message = message


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse_definition(body: Mapping[str, Any], *, id: int = 0, version: int = 1) -> Definition:
    """The definition in `body`, or DefinitionError naming the first problem and where."""
    errors = sorted(_VALIDATOR.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise DefinitionError(_path(first.absolute_path), first.message)
    steps = tuple(_step(raw, f"steps[{i}]") for i, raw in enumerate(body["steps"]))
    _check_graph(steps, body)
    _check_texts(body.get("texts", {}))
    return Definition(
        id=id,
        name=body["name"],
        version=version,
        title=dict(body["title"]),
        steps=steps,
        warn_at=float(body.get("warn_at", 0.8)),
        escalate_to=body.get("escalate_to", "supervisors"),
        reopen_to=body.get("reopen_to", steps[0].key),
        texts={name: dict(by_lang) for name, by_lang in body.get("texts", {}).items()},
        body=body,
    )


def _step(raw: Mapping[str, Any], where: str) -> Step:
    for i, name in enumerate(raw.get("leave_requires", [])):
        if name not in KNOWN_FIELDS:
            known = ", ".join(KNOWN_FIELDS)
            raise DefinitionError(
                f"{where}.leave_requires[{i}]", f"unknown field {name!r} (known: {known})"
            )
    actions = []
    for i, name in enumerate(raw.get("on_enter", [])):
        try:
            actions.append(Action(name))
        except ValueError:
            known = ", ".join(a.value for a in Action)
            raise DefinitionError(
                f"{where}.on_enter[{i}]", f"unknown action {name!r} (known: {known})"
            ) from None
    deadline = {
        tier: _deadline(entry, f"{where}.deadline.{tier}")
        for tier, entry in raw.get("deadline", {}).items()
    }
    if deadline and "default" not in deadline:
        raise DefinitionError(f"{where}.deadline", "a deadline needs a 'default' entry")
    return Step(
        key=raw["key"],
        title=dict(raw["title"]),
        next=tuple(raw["next"]),
        leave_requires=tuple(raw.get("leave_requires", [])),
        on_enter=tuple(actions),
        automatic=bool(raw.get("automatic", False)),
        deadline=deadline,
        warn_at=raw.get("warn_at"),
        escalate_to=raw.get("escalate_to"),
        final=bool(raw.get("final", False)),
    )


def _deadline(entry: str | Mapping[str, Any], where: str) -> StepDeadline:
    if isinstance(entry, str):
        entry = {"within": entry}
        within_path = where
    else:
        within_path = f"{where}.within"
    within = entry["within"]
    try:
        duration = Duration.parse(within, field=within_path)
    except Invalid as exc:
        # worktime names the field first; DefinitionError keeps the path on its own.
        raise DefinitionError(within_path, exc.message.removeprefix(f"{within_path}: ")) from None
    return StepDeadline(
        within=duration.text(),
        mode=ClockMode(entry.get("clock", ClockMode.BUSINESS.value)),
        from_case_start=entry.get("from", "step") == "case",
    )


def _check_graph(steps: tuple[Step, ...], body: Mapping[str, Any]) -> None:
    index: dict[str, int] = {}
    for i, step in enumerate(steps):
        if step.key in index:
            raise DefinitionError(f"steps[{i}].key", f"step {step.key!r} appears twice")
        index[step.key] = i
    for i, step in enumerate(steps):
        for j, target in enumerate(step.next):
            if target not in index:
                raise DefinitionError(f"steps[{i}].next[{j}]", f"no step is called {target!r}")
            if target == step.key:
                raise DefinitionError(f"steps[{i}].next[{j}]", "a step cannot lead to itself")
        if step.automatic and len(step.next) != 1:
            raise DefinitionError(
                f"steps[{i}].automatic", "an automatic step needs exactly one next step"
            )
        if step.automatic and step.leave_requires:
            raise DefinitionError(
                f"steps[{i}].leave_requires", "an automatic step cannot require fields"
            )
        if not step.final and not step.next:
            raise DefinitionError(f"steps[{i}].next", "only the final step may lead nowhere")
    finals = [i for i, step in enumerate(steps) if step.final]
    if len(finals) != 1:
        raise DefinitionError("steps", f"exactly one step must be final (found {len(finals)})")
    if steps[finals[0]].deadline:
        raise DefinitionError(f"steps[{finals[0]}].deadline", "the final step has no deadline")
    if steps[0].final:
        raise DefinitionError("steps[0].final", "the first step cannot be the final one")
    reopen_to = body.get("reopen_to")
    if reopen_to is not None and (reopen_to not in index or steps[index[reopen_to]].final):
        raise DefinitionError("reopen_to", f"{reopen_to!r} is not a step a case can reopen to")


def _check_texts(texts: Mapping[str, Mapping[str, str]]) -> None:
    """Every text fills in only its known placeholders, written plainly ("{number}")."""
    for name, by_language in texts.items():
        allowed = PLACEHOLDERS.get(name, ("number",))
        shown = ", ".join("{" + p + "}" for p in allowed)
        for language, text in by_language.items():
            where = f"texts.{name}.{language}"
            try:
                fields = list(string.Formatter().parse(text))
            except ValueError:
                raise DefinitionError(
                    where, f"the {name} text has an unmatched brace (write {{{{ or }}}} for one)"
                ) from None
            for _literal, field, spec, conversion in fields:
                if field is None:
                    continue
                if field not in allowed or spec or conversion:
                    raise DefinitionError(
                        where,
                        f"the {name} text uses {{{field}}}; it may only use {shown} "
                        "(write {{ or }} for a brace)",
                    )


def shipped_body(name: str) -> dict[str, Any]:
    """The definition shipped with the project (workflows/definitions/<name>.json)."""
    text = resources.files("contact_center.workflows").joinpath(f"definitions/{name}.json")
    body: dict[str, Any] = json.loads(text.read_text(encoding="utf-8"))
    return body


def structure(body: Mapping[str, Any]) -> Any:
    """What a supervisor may not change in the console: everything but deadlines, warning
    shares and texts (titles included). Two bodies with the same structure run alike."""
    editable_step = {"title", "deadline", "warn_at"}
    steps = body.get("steps")
    texts = body.get("texts")
    return {
        "name": body.get("name"),
        "escalate_to": body.get("escalate_to"),
        "reopen_to": body.get("reopen_to"),
        "steps": [
            {k: v for k, v in step.items() if k not in editable_step}
            if isinstance(step, dict)
            else step
            for step in (steps if isinstance(steps, list) else [])
        ],
        "texts": sorted(texts) if isinstance(texts, dict) else texts,
    }

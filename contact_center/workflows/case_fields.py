"""What may be saved on a case: category and root cause from the managed lists, facts,
resolution and the callback's outcome as text. The owner is the ticket's assignee."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contact_center import audit
from contact_center.audit import Actor
from contact_center.db import Conn
from contact_center.errors import Conflict, Invalid
from contact_center.i18n import gettext as _
from contact_center.workflows import case_labels as labels
from contact_center.workflows import store
from contact_center.workflows.model import Case

TEXT_FIELDS = ("facts", "resolution", "callback_outcome")
LIST_FIELDS = ("category", "root_cause")
MAX_TEXT = 10000


async def check_fields(conn: Conn, fields: dict[str, Any]) -> dict[str, str]:
    """The fields as they are saved; Invalid naming the first one that cannot be."""
    checked: dict[str, str] = {}
    for name, value in fields.items():
        if name == "owner":
            raise Invalid(_("The owner is the ticket's assignee: assign the ticket."), field=name)
        if name not in TEXT_FIELDS + LIST_FIELDS:
            raise Invalid(_("A case has no field {name}.").format(name=name), field=name)
        text = "" if value is None else value
        if not isinstance(text, str):
            raise Invalid(_("{name} must be text.").format(name=name), field=name)
        text = text.replace("\x00", "").strip()
        if len(text) > MAX_TEXT:
            raise Invalid(_("That text is too long."), field=name)
        if name in LIST_FIELDS and text and not await labels.label_exists_in(conn, name, text):
            # Well-formed but not in the managed list (any more): refused, not malformed.
            raise Conflict(
                _("{value} is not an active entry of the list.").format(value=text), field=name
            )
        checked[name] = text
    return checked


async def save_fields(
    conn: Conn, actor: Actor, case: Case, fields: dict[str, Any], *, now: datetime
) -> Case:
    """Check and save `fields` on the case (audited when anything changed)."""
    checked = await check_fields(conn, fields)
    merged = {**case.fields, **checked}
    before, after = audit.changed_fields(dict(case.fields), merged)
    if not after:
        return case
    case = await store.update_case(conn, case.id, fields=merged)
    await audit.record_change(
        conn, actor, "case", case.id, "fields", before=before, after=after, at=now
    )
    return case

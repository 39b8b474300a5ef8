"""Stored workflow definitions: the shipped one installed as version 1, supervisors' edits
stored as new versions (deadlines, warning shares and texts only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contact_center import audit, live
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, NotFound
from contact_center.i18n import gettext as _
from contact_center.live.model import Event
from contact_center.workflows import case_labels as labels
from contact_center.workflows import store
from contact_center.workflows.definition import (
    SHIPPED,
    DefinitionError,
    parse_definition,
    shipped_body,
    structure,
)
from contact_center.workflows.model import Definition

INSTALL_ACTOR = Actor.system("workflows")


async def install_defaults(pool: Pool, *, now: datetime) -> None:
    """Store each shipped definition as version 1 and the default managed lists, where none
    are stored yet (at every start: runtime, `migrate`, the tests' template database)."""
    async with transaction(pool) as conn:
        await install_defaults_in(conn, now=now)


async def install_defaults_in(conn: Conn, *, now: datetime) -> None:
    """`install_defaults` in the caller's transaction (also the fallback of a database that
    was migrated by other means, e.g. a test's own)."""
    for name in SHIPPED:
        await store.lock_definition_name(conn, name)
        if await store.latest_definition(conn, name) is not None:
            continue
        body = shipped_body(name)
        parse_definition(body)  # a broken shipped file stops the start, loudly
        made = await store.insert_definition(
            conn, name=name, version=1, body=body, created_at=now, created_by=None
        )
        await audit.record_change(
            conn, INSTALL_ACTOR, "workflow", f"{name}:1", "installed", after={"id": made}, at=now
        )
    await labels.install_defaults_in(conn)


# Parsed definitions by stored row: a row is never updated (an edit is a new version), so its
# parse (the JSON-schema check and the step graph) is done once per process, not on every case
# start and customer message. Keyed with `created_at` too: ids of databases made from one
# template (the tests') may repeat with other bodies.
_PARSED: dict[tuple[int, int, datetime], Definition] = {}
MAX_PARSED = 256


def _definition(row: dict[str, Any]) -> Definition:
    key = (row["id"], row["version"], row["created_at"])
    found = _PARSED.get(key)
    if found is None:
        found = parse_definition(row["body"], id=row["id"], version=row["version"])
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = found
    return found


async def current_definition(conn: Conn, name: str, *, now: datetime) -> Definition:
    """The latest stored version of `name` (new cases use it)."""
    row = await store.latest_definition(conn, name)
    if row is None and name in SHIPPED:
        await install_defaults_in(conn, now=now)
        row = await store.latest_definition(conn, name)
    if row is None:
        raise NotFound(_("No workflow is called {name}.").format(name=name))
    return _definition(row)


async def definition_by_id(conn: Conn, definition_id: int) -> Definition:
    """The version a case runs on."""
    row = await store.definition_by_id(conn, definition_id)
    if row is None:
        raise NotFound(_("That workflow version does not exist."))
    return _definition(row)


def _version_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "version": row["version"],
        "created_at": row["created_at"],
        "created_by": row["created_by"],
        "created_by_name": row["created_by_name"],
    }


async def get_workflow(pool: Pool, name: str) -> dict[str, Any]:
    """The latest version's body and the list of versions, newest first."""
    async with pool.acquire() as conn:
        row = await store.latest_definition(conn, name)
        if row is None:
            raise NotFound(_("No workflow is called {name}.").format(name=name))
        versions = await store.definition_versions(conn, name)
    return {
        "name": name,
        "version": row["version"],
        "definition": row["body"],
        "versions": [_version_view(v) for v in versions],
    }


async def update_workflow(
    pool: Pool,
    actor: Actor,
    name: str,
    body: dict[str, Any],
    *,
    version: int,
    now: datetime,
) -> dict[str, Any]:
    """Store `body` as the next version of `name`. `version` is the one the editor started
    from (Conflict when another edit landed since). Only deadlines, warning shares and texts
    may differ from the latest version: a changed structure is refused (Conflict), and so is
    a body that does not validate (Conflict naming the place, e.g. "steps[1].deadline"). Running
    cases keep their version; new cases use this one."""
    problem: DefinitionError | None = None
    try:
        parse_definition(body)
    except DefinitionError as exc:
        problem = exc
    async with transaction(pool) as conn:
        await store.lock_definition_name(conn, name)
        latest = await store.latest_definition(conn, name)
        if latest is None:
            raise NotFound(_("No workflow is called {name}.").format(name=name))
        if latest["version"] != version:
            raise Conflict(
                _("Someone saved version {latest} meanwhile: reload and edit again.").format(
                    latest=latest["version"]
                )
            )
        if body.get("name") != name or structure(body) != structure(latest["body"]):
            raise Conflict(
                _(
                    "Only deadlines, warning shares and texts can be changed here; "
                    "steps, transitions, required fields and actions stay as shipped."
                )
            )
        if problem is not None:
            # Same structure but unusable (a duration that is none, a share above 1):
            # refused, naming where.
            raise Conflict(problem.message, field=problem.path or "definition")
        new_version = latest["version"] + 1
        made = await store.insert_definition(
            conn,
            name=name,
            version=new_version,
            body=body,
            created_at=now,
            created_by=actor.user_id,
        )
        await audit.record_change(
            conn,
            actor,
            "workflow",
            f"{name}:{new_version}",
            "updated",
            before={"version": latest["version"], "definition": latest["body"]},
            after={"version": new_version, "definition": body},
            at=now,
        )
        await live.publish(
            conn, Event.WORKFLOW_UPDATED, {"name": name, "version": new_version, "id": made}
        )
    return await get_workflow(pool, name)

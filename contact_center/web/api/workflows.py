"""REST handlers for workflow definitions (read, store a new version of deadlines and texts)
and the managed lists of complaint categories and root causes."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from contact_center import workflows
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.api import workflow_schemas as schemas
from contact_center.web.auth import STAFF, actor_of, require_role
from contact_center.web.jsonio import json_response, read_json
from contact_center.web.keys import POOL
from contact_center.web.route import API, Route

EDITORS = (Role.SUPERVISOR, Role.ADMIN)


async def get_workflow(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    found = await workflows.get_workflow(request.app[POOL], request.match_info["name"])
    return json_response(found)


async def update_workflow(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    body: dict[str, Any] = await read_json(request, schemas.WORKFLOW_UPDATE)
    saved = await workflows.update_workflow(
        request.app[POOL],
        actor_of(request),
        request.match_info["name"],
        body["definition"],
        version=body["version"],
        now=utc_now(),
    )
    return json_response(saved)


async def list_labels(request: web.Request) -> web.Response:
    require_role(request, *STAFF)
    found = await workflows.list_labels(request.app[POOL], request.match_info["list"])
    return json_response({"labels": found})


async def create_label(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    body: dict[str, Any] = await read_json(request, schemas.LABEL_CREATE)
    made = await workflows.create_label(
        request.app[POOL],
        actor_of(request),
        request.match_info["list"],
        body["key"],
        body["title"],
        position=body.get("position"),
    )
    return json_response(made, status=201)


async def update_label(request: web.Request) -> web.Response:
    require_role(request, *EDITORS)
    body: dict[str, Any] = await read_json(request, schemas.LABEL_UPDATE)
    changed = await workflows.update_label(
        request.app[POOL],
        actor_of(request),
        request.match_info["list"],
        request.match_info["key"],
        body,
    )
    return json_response(changed)


ROUTES: list[Route] = [
    Route(
        "GET",
        f"{API}/workflows/{{name}}",
        get_workflow,
        "A workflow definition's latest version and the list of its versions, newest first",
        path_schemas=schemas.WORKFLOW_PATH,
        tag="workflows",
        responses={404: "no such workflow"},
        answer=schemas.WORKFLOW,
    ),
    Route(
        "PUT",
        f"{API}/workflows/{{name}}",
        update_workflow,
        "Store a new version (supervisors and admins): only deadlines, warning shares and "
        "texts may change; running cases keep their version, new cases use this one",
        body=schemas.WORKFLOW_UPDATE,
        path_schemas=schemas.WORKFLOW_PATH,
        tag="workflows",
        responses={
            403: "only supervisors and admins edit workflows",
            404: "no such workflow",
            409: "the structure changed, another version was saved since `version`, or the "
            "definition does not validate (`field` says where)",
        },
        answer=schemas.WORKFLOW,
    ),
    Route(
        "GET",
        f"{API}/case-labels/{{list}}",
        list_labels,
        "A managed list (`category` or `root_cause`) in its order, inactive entries included",
        path_schemas=schemas.LIST_PATH,
        tag="workflows",
        answer=schemas.LABELS,
    ),
    Route(
        "POST",
        f"{API}/case-labels/{{list}}",
        create_label,
        "Add an entry to a managed list (supervisors and admins)",
        body=schemas.LABEL_CREATE,
        path_schemas=schemas.LIST_PATH,
        tag="workflows",
        created=True,
        responses={
            403: "only supervisors and admins edit the lists",
            409: "the list has an entry with that key",
        },
        answer=schemas.LABEL,
    ),
    Route(
        "PATCH",
        f"{API}/case-labels/{{list}}/{{key}}",
        update_label,
        "Rename, deactivate or reactivate, or move an entry (supervisors and admins)",
        body=schemas.LABEL_UPDATE,
        path_schemas=schemas.LABEL_PATH,
        tag="workflows",
        responses={
            403: "only supervisors and admins edit the lists",
            404: "the list has no such entry",
        },
        answer=schemas.LABEL,
    ),
]

"""The case, workflow and managed-list routes: who may do what, and the answers' shapes."""

from __future__ import annotations

import copy
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_user, token_for
from tests.conftest import SingleConnectionPool
from tests.workflows.helpers import complaint_by_mail

Client = TestClient[Any, Any]


async def test_an_agent_reads_a_case_and_is_told_what_a_move_needs(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    ticket_id = await complaint_by_mail(db, utc_now())
    answer = await client.get(f"/api/v1/tickets/{ticket_id}/case", headers=headers)
    assert answer.status == 200
    view = await answer.json()
    assert view["case"]["step"] == "acknowledged" and view["case"]["source"] == "address"
    assert {"key": "billing", "title": "Billing"} in view["labels"]["category"]

    refused = await client.post(
        f"/api/v1/tickets/{ticket_id}/case/moves", json={"to": "triaged"}, headers=headers
    )
    assert refused.status == 422
    error = (await refused.json())["error"]
    assert error["field"] == "owner" and "assign the ticket" in error["message"]

    await client.patch(
        f"/api/v1/tickets/{ticket_id}", json={"assignee_id": str(agent.id)}, headers=headers
    )
    chinese = {**headers, "Accept-Language": "zh-CN"}
    refused = await client.post(
        f"/api/v1/tickets/{ticket_id}/case/moves", json={"to": "triaged"}, headers=chinese
    )
    assert (await refused.json())["error"]["field"] == "category"

    wrong = await client.post(
        f"/api/v1/tickets/{ticket_id}/case/moves", json={"to": "closed"}, headers=headers
    )
    assert wrong.status == 409

    saved = await client.patch(
        f"/api/v1/tickets/{ticket_id}/case",
        json={"fields": {"category": "delivery"}},
        headers=headers,
    )
    assert saved.status == 200
    moved = await client.post(
        f"/api/v1/tickets/{ticket_id}/case/moves",
        json={"to": "triaged", "fields": {"facts": "Box crushed"}},
        headers=headers,
    )
    assert moved.status == 200
    case = (await moved.json())["case"]
    assert case["step"] == "triaged" and case["fields"]["facts"] == "Box crushed"
    assert case["history"][-1]["entered_by_name"] == agent.name


async def test_a_ticket_without_a_case_answers_null_and_cannot_be_moved(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    from contact_center import tickets
    from tests.builders import make_inbound_sms

    result = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    answer = await client.get(f"/api/v1/tickets/{result.ticket_id}/case", headers=headers)
    assert (await answer.json())["case"] is None
    moved = await client.post(
        f"/api/v1/tickets/{result.ticket_id}/case/moves", json={"to": "x"}, headers=headers
    )
    assert moved.status == 409


async def test_supervisors_store_a_new_version_of_deadlines_and_agents_may_not(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    current = await (await client.get("/api/v1/workflows/complaint", headers=agent)).json()
    body = copy.deepcopy(current["definition"])
    body["steps"][2]["deadline"]["default"] = "6h"
    request = {"version": current["version"], "definition": body}
    assert (
        await client.put("/api/v1/workflows/complaint", json=request, headers=agent)
    ).status == 403
    saved = await client.put("/api/v1/workflows/complaint", json=request, headers=supervisor)
    assert saved.status == 200
    answer = await saved.json()
    assert answer["version"] == current["version"] + 1
    assert [v["version"] for v in answer["versions"]][:2] == [answer["version"], current["version"]]
    again = await client.put("/api/v1/workflows/complaint", json=request, headers=supervisor)
    assert again.status == 409  # stale: that version was edited already
    body["steps"][2]["next"] = ["closed"]
    request = {"version": answer["version"], "definition": body}
    changed = await client.put("/api/v1/workflows/complaint", json=request, headers=supervisor)
    assert changed.status == 409
    assert "Only deadlines" in (await changed.json())["error"]["message"]
    missing = await client.get("/api/v1/workflows/nothing", headers=agent)
    assert missing.status == 404


async def test_supervisors_add_rename_deactivate_and_order_list_entries(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    entry = {"key": "packaging", "title": {"en": "Packaging", "zh_Hans": "包装"}}
    assert (
        await client.post("/api/v1/case-labels/category", json=entry, headers=agent)
    ).status == 403
    made = await client.post("/api/v1/case-labels/category", json=entry, headers=supervisor)
    assert made.status == 201
    assert (
        await client.post("/api/v1/case-labels/category", json=entry, headers=supervisor)
    ).status == 409
    changed = await client.patch(
        "/api/v1/case-labels/category/packaging",
        json={"title": {"en": "Packing"}, "active": False, "position": 0},
        headers=supervisor,
    )
    assert changed.status == 200
    assert (await changed.json())["title"] == {"en": "Packing"}
    listed = await (await client.get("/api/v1/case-labels/category", headers=agent)).json()
    packing = next(e for e in listed["labels"] if e["key"] == "packaging")
    assert packing["active"] is False
    ticket_id = await complaint_by_mail(db, utc_now())
    view = await (await client.get(f"/api/v1/tickets/{ticket_id}/case", headers=agent)).json()
    assert "packaging" not in [e["key"] for e in view["labels"]["category"]]
    gone = await client.patch(
        "/api/v1/case-labels/category/nothing", json={"active": True}, headers=supervisor
    )
    assert gone.status == 404

"""The classifier, accounts-at-risk and complaint-report routes: roles, versions, refusals."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import tickets
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_inbound_email, make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def headers_for(db: SingleConnectionPool, role: Role) -> dict[str, str]:
    return await token_for(db, await make_user(db, role))


async def test_a_supervisor_edits_the_phrases_with_the_version_read(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await headers_for(db, Role.SUPERVISOR)
    got = await client.get("/api/v1/classifier", headers=headers)
    assert got.status == 200
    rules = await got.json()
    assert rules["version"] == 0 and {"text": "投诉", "weight": 0.8} in rules["phrases"]
    body = {"threshold": 0.6, "phrases": [{"text": "parcel lost", "weight": 0.7}], "version": 0}
    saved = await client.put("/api/v1/classifier", headers=headers, json=body)
    assert saved.status == 200, await saved.text()
    assert (await saved.json())["version"] == 1
    stale = await client.put("/api/v1/classifier", headers=headers, json=body)
    assert stale.status == 409
    tried = await client.post(
        "/api/v1/classifier/try", headers=headers, json={"text": "Parcel LOST again!"}
    )
    assert await tried.json() == {
        "kind": "complaint",
        "confidence": 0.7,
        "matched": ["parcel lost"],
    }


async def test_a_phrase_listed_twice_is_refused_with_409_naming_it(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await headers_for(db, Role.ADMIN)
    phrases = [{"text": "Refund", "weight": 0.6}, {"text": "refund", "weight": 0.2}]
    answer = await client.put(
        "/api/v1/classifier",
        headers=headers,
        json={"threshold": 0.5, "phrases": phrases, "version": 0},
    )
    assert answer.status == 409
    assert (await answer.json())["error"]["field"] == "classifier.phrases.1.text"


async def test_the_site_settings_route_refuses_a_phrase_listed_twice_too(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await headers_for(db, Role.ADMIN)
    phrases = [{"text": "Refund", "weight": 0.6}, {"text": " ｒｅｆｕｎｄ", "weight": 0.2}]
    answer = await client.put(
        "/api/v1/site-settings/classifier",
        headers=headers,
        json={"value": {"threshold": 0.5, "phrases": phrases}, "version": 0},
    )
    assert answer.status == 409
    assert (await answer.json())["error"]["field"] == "classifier.phrases.1.text"


async def test_agents_may_try_but_not_edit_the_classifier(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await headers_for(db, Role.AGENT)
    assert (await client.get("/api/v1/classifier", headers=headers)).status == 403
    unsaved = {"text": "awful", "threshold": 0.3, "phrases": [{"text": "awful", "weight": 0.4}]}
    tried = await client.post("/api/v1/classifier/try", headers=headers, json=unsaved)
    assert (await tried.json())["kind"] == "complaint"


async def test_an_agent_undoes_a_classified_complaint_once(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await headers_for(db, Role.AGENT)
    opened = await tickets.intake(db, make_inbound_sms(text="太差了，我要退款"), now=utc_now())
    url = f"/api/v1/tickets/{opened.ticket_id}/classification/undo"
    undone = await client.post(url, headers=headers)
    assert undone.status == 200 and (await undone.json())["kind"] == "inquiry"
    assert (await client.post(url, headers=headers)).status == 409


async def test_at_risk_lists_are_yours_unless_you_oversee(
    client: Client, db: SingleConnectionPool
) -> None:
    manager = await headers_for(db, Role.ACCOUNT_MANAGER)
    mine = await client.get("/api/v1/accounts/at-risk", params={"manager": "me"}, headers=manager)
    assert mine.status == 200 and await mine.json() == {"accounts": []}
    refused = await client.get(
        "/api/v1/accounts/at-risk", params={"manager": "all"}, headers=manager
    )
    assert refused.status == 403
    supervisor = await headers_for(db, Role.SUPERVISOR)
    every = await client.get(
        "/api/v1/accounts/at-risk", params={"manager": "all"}, headers=supervisor
    )
    assert every.status == 200


async def test_only_supervisors_and_admins_ask_for_another_managers_accounts(
    client: Client, db: SingleConnectionPool
) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    asked = {"manager": str(manager.id)}
    for role in (Role.AGENT, Role.ACCOUNT_MANAGER):
        other = await headers_for(db, role)
        refused = await client.get("/api/v1/accounts/at-risk", params=asked, headers=other)
        assert refused.status == 403, role
    own = await client.get(
        "/api/v1/accounts/at-risk", params=asked, headers=await token_for(db, manager)
    )
    assert own.status == 200
    for role in (Role.SUPERVISOR, Role.ADMIN):
        overseer = await headers_for(db, role)
        answer = await client.get("/api/v1/accounts/at-risk", params=asked, headers=overseer)
        assert answer.status == 200, role


async def test_the_complaint_report_is_for_supervisors_admins_and_account_managers(
    client: Client, db: SingleConnectionPool
) -> None:
    period = {"from": "2026-03-01", "to": "2026-03-31"}
    agent = await headers_for(db, Role.AGENT)
    assert (
        await client.get("/api/v1/reports/complaints", params=period, headers=agent)
    ).status == 403
    manager = await headers_for(db, Role.ACCOUNT_MANAGER)
    answer = await client.get("/api/v1/reports/complaints", params=period, headers=manager)
    assert answer.status == 200
    figures = await answer.json()
    assert len(figures["by_day"]) == 31 and figures["total"] == 0
    backwards = {"from": "2026-03-31", "to": "2026-03-01"}
    wrong = await client.get("/api/v1/reports/complaints", params=backwards, headers=manager)
    assert wrong.status == 409 and (await wrong.json())["error"]["field"] == "from"


async def test_a_report_from_a_day_alone_runs_up_to_366_days_and_far_days_are_refused(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await headers_for(db, Role.SUPERVISOR)
    url = "/api/v1/reports/complaints"
    old = await client.get(url, params={"from": "2000-01-01"}, headers=supervisor)
    assert old.status == 200, await old.text()
    assert len((await old.json())["by_day"]) == 366
    for params in ({"from": "0001-01-01"}, {"to": "9999-12-31"}):
        far = await client.get(url, params=params, headers=supervisor)
        assert far.status == 409, params
    longer = {"from": "2024-01-01", "to": "2025-06-30"}
    assert (await client.get(url, params=longer, headers=supervisor)).status == 409


async def test_at_risk_refuses_a_manager_that_is_no_id(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await headers_for(db, Role.SUPERVISOR)
    answer = await client.get(
        "/api/v1/accounts/at-risk", params={"manager": ".exe"}, headers=supervisor
    )
    assert answer.status == 422 and (await answer.json())["error"]["field"] == "manager"


async def test_the_customer_summary_says_when_the_account_is_at_risk(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await headers_for(db, Role.AGENT)
    for subject in ("Late delivery", "Broken lid", "Wrong invoice"):
        contact = make_inbound_email(
            from_address="lin.hui@example.net", subject=subject, text="投诉：太差了"
        )
        result = await tickets.intake(db, contact, now=utc_now())
    summary = await client.get(f"/api/v1/customers/{result.customer_id}/summary", headers=headers)
    body = await summary.json()
    assert body["at_risk"]["complaints"] == 3 and body["at_risk"]["days"] == 90
    assert body["at_risk"]["tickets"][0]["subject"] == "Wrong invoice"

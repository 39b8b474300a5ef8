"""Queues in the console: the administration page (supervisors and admins), its forms and their
refusals, and the queue lists of the ticket page and the inbox filter, read from the table."""

from __future__ import annotations

import re
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import routing, tickets
from contact_center.timeutil import utc_now
from contact_center.users import Role
from contact_center.web.console.admin_queues import hours_summary
from tests.builders import TEST_ACTOR, make_inbound_sms, make_user
from tests.conftest import SingleConnectionPool
from tests.web.test_console_pages import HTML, sign_in

Client = TestClient[Any, Any]
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def form(csrf: str, **fields: Any) -> dict[str, Any]:
    """A filled queue form: office hours on weekdays unless given."""
    values: dict[str, Any] = {
        "csrf_token": csrf,
        "label": "",
        "skills": "",
        "strategy": "longest_idle",
        "wait_limit_seconds": "600",
        "service_level_seconds": "20",
        "step_seconds": "120",
        "overflow_queue": "",
        "offers_default": "1",
        **{f"hours_{d}": "08:00-18:00" if d not in ("sat", "sun") else "" for d in WEEK},
    }
    values.update(fields)
    return values


async def page(client: Client, session: str, path: str) -> tuple[int, str]:
    response = await client.get(path, headers={"Cookie": session, **HTML})
    return response.status, await response.text()


def test_hours_are_summarized_by_runs_of_days() -> None:
    office = {d: [["08:00", "18:00"]] for d in WEEK[:5]} | {"sat": [["09:00", "12:00"]]}
    assert hours_summary(office) == ["Mon–Fri 08:00–18:00", "Sat 09:00–12:00"]
    assert hours_summary({d: [["00:00", "24:00"]] for d in WEEK}) == ["Open around the clock"]
    assert hours_summary({}) == ["Always closed"]
    split = {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], "wed": [["08:00", "12:00"]]}
    assert hours_summary(split) == ["Mon 08:00–12:00, 13:00–17:00", "Wed 08:00–12:00"]


async def test_supervisors_see_the_queues_and_agents_do_not(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    status, _text = await page(client, session, "/admin/queues")
    assert status == 403
    supervisor = await make_user(db, Role.SUPERVISOR)
    session, _ = await sign_in(client, supervisor.email)
    status, text = await page(client, session, "/admin/queues")
    assert status == 200
    assert 'href="/admin/queues" aria-current="page"' in text
    assert "Mon–Fri 08:00–18:00" in text
    assert "Complaints" in text and "complaints" in text  # label and skill
    assert 'href="/admin/queues/order"' in text


async def test_a_queue_is_created_and_edited_through_the_forms(
    client: Client, db: SingleConnectionPool
) -> None:
    admin = await make_user(db, Role.ADMIN)
    session, csrf = await sign_in(client, admin.email)
    created = await client.post(
        "/admin/queues",
        data=form(
            csrf, name="vip", label="Key accounts", skills="vip, chinese", hours_sat="9:00-12:00"
        ),
        headers={"Cookie": session, **HTML},
    )
    assert created.status == 200, await created.text()
    assert "Created queue vip." in await created.text()
    vip = await routing.get_queue(db, "vip")
    assert vip.skills == ["vip", "chinese"]
    assert vip.hours["sat"] == [["09:00", "12:00"]]

    status, text = await page(client, session, "/admin/queues/vip")
    assert status == 200
    assert 'value="09:00-12:00"' in text
    saved = await client.post(
        "/admin/queues/vip",
        data=form(
            csrf, label="VIP", kinds=["order"], strategy="round_robin", overflow_queue="general"
        )
        | {"kinds": "complaint"},
        headers={"Cookie": session, **HTML},
        allow_redirects=False,
    )
    assert saved.status == 409  # complaint belongs to the complaint queue
    assert "Ticket kinds:" in await saved.text()
    saved = await client.post(
        "/admin/queues/vip",
        data=form(csrf, label="VIP", strategy="round_robin", overflow_queue="general"),
        headers={"Cookie": session, **HTML},
        allow_redirects=False,
    )
    assert saved.status == 303
    assert saved.headers["Location"] == "/admin/queues?saved=vip"
    vip = await routing.get_queue(db, "vip")
    assert (vip.label, vip.strategy, vip.overflow_queue) == ("VIP", "round_robin", "general")


async def test_a_refused_form_keeps_what_was_typed(
    client: Client, db: SingleConnectionPool
) -> None:
    admin = await make_user(db, Role.SUPERVISOR)
    session, csrf = await sign_in(client, admin.email)
    response = await client.post(
        "/admin/queues/order",
        data=form(csrf, label="Orders desk", hours_mon="18:00-08:00"),
        headers={"Cookie": session, **HTML},
    )
    assert response.status == 422
    text = await response.text()
    assert "Business hours: mon: 18:00–08:00 ends before it starts" in text
    assert 'value="Orders desk"' in text and 'value="18:00-08:00"' in text
    assert (await routing.get_queue(db, "order")).label == "Orders"


async def test_the_default_queue_keeps_its_flag_until_another_takes_it(
    client: Client, db: SingleConnectionPool
) -> None:
    admin = await make_user(db, Role.ADMIN)
    session, csrf = await sign_in(client, admin.email)
    _status, text = await page(client, session, "/admin/queues/general")
    assert 'name="is_default"' not in text and "This is the default queue" in text
    fields = form(csrf, label="General", kinds=["inquiry", "other"])
    del fields["offers_default"]
    saved = await client.post(
        "/admin/queues/general",
        data=fields,
        headers={"Cookie": session, **HTML},
        allow_redirects=False,
    )
    assert saved.status == 303
    assert (await routing.get_queue(db, "general")).is_default


async def test_the_admin_pages_speak_chinese(client: Client, db: SingleConnectionPool) -> None:
    admin = await make_user(db, Role.ADMIN)
    session, _ = await sign_in(client, admin.email)
    response = await client.get(
        "/admin/queues", headers={"Cookie": session, **HTML, "Accept-Language": "zh-CN"}
    )
    text = await response.text()
    assert "队列" in text and "营业时间" in text


async def test_no_such_queue_page(client: Client, db: SingleConnectionPool) -> None:
    admin = await make_user(db, Role.ADMIN)
    session, _ = await sign_in(client, admin.email)
    for name in ("nowhere", "%00"):
        status, _text = await page(client, session, f"/admin/queues/{name}")
        assert status == 404


async def test_the_ticket_page_and_the_inbox_list_the_queues_of_the_table(
    client: Client, db: SingleConnectionPool
) -> None:
    await routing.create_queue(
        db, TEST_ACTOR, {"name": "vip", "label": "Key accounts"}, now=utc_now()
    )
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    opened = await tickets.intake(db, make_inbound_sms(text="Hello"), now=utc_now())
    await tickets.intake(db, make_inbound_sms(text="Another"), now=utc_now())
    await tickets.update_ticket(db, TEST_ACTOR, opened.ticket_id, {"queue": "vip"}, now=utc_now())

    _status, text = await page(client, session, f"/tickets/{opened.ticket_id}")
    select = re.search(r'<select name="queue">(.*?)</select>', text, re.S)
    assert select is not None
    assert '<option value="vip" selected>Key accounts</option>' in select.group(1)
    assert 'value="general"' in select.group(1)

    _status, text = await page(client, session, "/?queue=vip")
    assert '<option value="vip" selected>Key accounts</option>' in text
    assert len(re.findall(r'href="/tickets/', text)) == 1
    body = await (
        await client.get(
            "/api/v1/inbox", params={"queue": "vip,order"}, headers={"Cookie": session}
        )
    ).json()
    assert [row["queue"] for row in body["items"]] == ["vip"]


async def test_an_admin_sets_a_users_routing_profile(
    client: Client, db: SingleConnectionPool
) -> None:
    admin = await make_user(db, Role.ADMIN)
    agent = await make_user(db, Role.AGENT)
    session, csrf = await sign_in(client, admin.email)
    _status, text = await page(client, session, "/admin/users")
    assert f'action="/admin/users/{agent.id}/routing"' in text
    assert f'form="routing-{agent.id}" name="voice_capacity"' in text
    saved = await client.post(
        f"/admin/users/{agent.id}/routing",
        data={
            "csrf_token": csrf,
            "queues": ["complaint", "order"],
            "skills": "Complaints, chinese",
            "voice_capacity": "1",
            "messaging_capacity": "3",
            "phone": "+12025550123",
        },
        headers={"Cookie": session, **HTML},
        allow_redirects=False,
    )
    assert saved.status == 303, await saved.text()
    profile = await routing.get_agent(db, agent.id, now=utc_now())
    assert (profile.skills, profile.messaging_capacity, profile.phone) == (
        ("chinese", "complaints"),
        3,
        "+12025550123",
    )
    assert profile.queues == ("complaint", "order")
    refused = await client.post(
        f"/admin/users/{agent.id}/routing",
        data={"csrf_token": csrf, "voice_capacity": "many", "messaging_capacity": "3"},
        headers={"Cookie": session, **HTML},
    )
    assert refused.status == 422
    assert "Capacity is a whole number." in await refused.text()

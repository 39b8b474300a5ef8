"""The ticket page's data: the merged timeline, a mail's HTML for a sandboxed frame, and the
customer summary of the info card."""

from __future__ import annotations

from datetime import date
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import customers, tickets
from contact_center.tickets import InboundFile
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_inbound_email, make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def test_the_timeline_merges_messages_notes_events_and_delivery(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    mail = await tickets.intake(
        db,
        make_inbound_email(
            subject="Broken lid",
            html="<p>See <b>photo</b></p>",
            files=[InboundFile("lid.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(8))],
        ),
        now=utc_now(),
    )
    url = f"/api/v1/tickets/{mail.ticket_id}"
    await client.patch(url, headers=headers, json={"status": "open", "assignee_id": str(agent.id)})
    await client.post(f"{url}/notes", headers=headers, json={"text": "Asked the warehouse"})
    await client.post(
        f"{url}/replies", headers=headers, json={"channel": "email", "text": "Sorry!"}
    )
    answer = await client.get(f"{url}/timeline", headers=headers)
    assert answer.status == 200
    items = (await answer.json())["items"]
    kinds = [(i["kind"], (i["event"] or {}).get("field")) for i in items]
    assert kinds == [
        ("event", None),  # intake opened the ticket
        ("message", None),
        ("event", "status"),
        ("event", "assignee_id"),
        ("note", None),
        ("message", None),
    ]
    assert items[0]["event"]["action"] == "opened"
    inbound, assigned, reply = items[1]["message"], items[3]["event"], items[5]["message"]
    (file,) = inbound["attachments"]
    assert file["url"] == f"/api/v1/attachments/{file['id']}"
    assert inbound["html_url"].endswith(f"/messages/{inbound['id']}/html")
    assert assigned["after_label"] == (agent.name or agent.email)
    assert assigned["actor_label"] == agent.email
    assert reply["delivery"]["status"] == "pending" and reply["delivery"]["attempts"] == 0
    assert items[4]["message"]["direction"] == "internal"


async def test_mail_html_is_served_alone_under_a_strict_policy(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    mail = await tickets.intake(
        db,
        make_inbound_email(
            html='<p>Hi<img src="https://tracker.example/p.gif"><img src="cid:logo1"></p>',
            files=[
                InboundFile(
                    "logo.png", "image/png", b"\x89PNG\r\n", content_id="logo1", inline=True
                )
            ],
        ),
        now=utc_now(),
    )
    timeline = await (
        await client.get(f"/api/v1/tickets/{mail.ticket_id}/timeline", headers=headers)
    ).json()
    (html_url,) = [i["message"]["html_url"] for i in timeline["items"] if i["kind"] == "message"]
    page = await client.get(html_url, headers=headers)
    assert page.status == 200 and page.content_type == "text/html"
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "img-src data:;" in policy and "sandbox" in policy
    assert "script" not in policy
    body = await page.text()
    assert "<p>Hi" in body and 'src="data:image/png;base64,iVBORw0K"' in body
    shown = await client.get(html_url + "?images=1", headers=headers)
    assert "img-src data: https:" in shown.headers["Content-Security-Policy"]
    sms = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    not_mail = await client.get(
        f"/api/v1/tickets/{mail.ticket_id}/messages/{sms.message_id}/html", headers=headers
    )
    assert not_mail.status == 404


async def test_the_customer_summary_shows_the_card_complaints_and_contacts(
    client: Client, db: SingleConnectionPool
) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    headers = await token_for(db, await make_user(db, Role.AGENT))
    org = await customers.create_organization(
        db,
        TEST_ACTOR,
        {
            "name": "Harbour Bakery",
            "is_key_account": True,
            "tier": "A",
            "account_manager_id": manager.id,
            "route_territory": "North",
            "route_weekday": 2,
        },
    )
    first = await tickets.intake(db, make_inbound_sms(text="The bread was late"), now=utc_now())
    await customers.update_customer(
        db,
        TEST_ACTOR,
        first.customer_id,
        {
            "name": "Lena Park",
            "organization_id": org.id,
            "birthday": "1990-04-12",
            "preferences": "Calls after 10",
            "language": "zh",
        },
        region="US",
    )
    await tickets.update_ticket(
        db, TEST_ACTOR, first.ticket_id, {"kind": "complaint"}, now=utc_now()
    )
    answer = await client.get(f"/api/v1/customers/{first.customer_id}/summary", headers=headers)
    assert answer.status == 200, await answer.text()
    summary = await answer.json()
    assert summary["name"] == "Lena Park" and summary["language"] == "zh"
    assert summary["key_account"] is True and summary["tier"] == "A"
    assert summary["account_manager"]["id"] == str(manager.id)
    assert (summary["route_territory"], summary["route_weekday"]) == ("North", 2)
    assert summary["birthday"] == date(1990, 4, 12).isoformat()
    assert summary["organization"]["name"] == "Harbour Bakery"
    (complaint,) = summary["open_complaints"]
    assert complaint["number"] == first.ticket_number
    (contact,) = summary["last_contacts"]
    assert (contact["channel"], contact["direction"], contact["ticket_number"]) == (
        "sms",
        "inbound",
        first.ticket_number,
    )

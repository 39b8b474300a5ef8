"""Safe sending: one reply per draft, the undo window, and drafts overtaken by new messages."""

from __future__ import annotations

import dataclasses
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import outbox, tickets
from contact_center.config import Settings
from contact_center.delivery import deliver_one
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_customer, make_inbound_sms, make_user, token_for
from tests.conftest import SingleConnectionPool, client_for

Client = TestClient[Any, Any]


async def rows(db: SingleConnectionPool, sql: str, *args: Any) -> list[Any]:
    async with db.acquire() as conn:
        return list(await conn.fetch(sql, *args))


async def test_the_same_draft_sent_twice_is_one_reply(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    sms = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    body = {"channel": "sms", "text": "It ships tomorrow.", "draft_key": "draft-0001-abc"}
    url = f"/api/v1/tickets/{sms.ticket_id}/replies"
    first = await client.post(url, headers=headers, json=body)
    again = await client.post(url, headers=headers, json={**body, "text": " It ships tomorrow.\n"})
    assert (first.status, again.status) == (201, 200)
    assert (await first.json())["id"] == (await again.json())["id"]
    other = await client.post(url, headers=headers, json={**body, "draft_key": "draft-0002-abc"})
    assert other.status == 201


async def test_a_draft_key_sent_again_with_other_content_is_refused(
    client: Client, db: SingleConnectionPool
) -> None:
    # A lost answer, then the agent edits and sends again under the same key: the edit must
    # not be dropped while the page says "sent".
    headers = await token_for(db, await make_user(db, Role.AGENT))
    sms = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    url = f"/api/v1/tickets/{sms.ticket_id}/replies"
    body = {"channel": "sms", "text": "It ships tomorrow.", "draft_key": "draft-edit-0001"}
    first = await client.post(url, headers=headers, json=body)
    assert first.status == 201
    edited = await client.post(
        url, headers=headers, json={**body, "text": "It ships tomorrow before noon."}
    )
    assert edited.status == 409
    answer = await edited.json()
    assert answer["error"]["code"] == "draft_key_reused"
    assert answer["error"]["field"] == "draft_key"
    assert "already sent with other content" in answer["error"]["message"]
    assert answer["sent"]["id"] == (await first.json())["id"]
    assert answer["sent"]["body_text"] == "It ships tomorrow."
    moved = await client.post(url, headers=headers, json={**body, "channel": "email"})
    assert moved.status == 409
    assert (await moved.json())["error"]["code"] == "draft_key_reused"
    outbound = await rows(
        db, "SELECT body_text FROM outbound_messages WHERE ticket_id = $1", sms.ticket_id
    )
    assert [r["body_text"] for r in outbound] == ["It ships tomorrow."]
    identical = await client.post(url, headers=headers, json=body)
    assert identical.status == 200, "the first result still answers an identical resubmit"
    as_new = await client.post(
        url,
        headers=headers,
        json={**body, "text": "It ships tomorrow before noon.", "draft_key": "draft-edit-0002"},
    )
    assert as_new.status == 201


async def test_a_stale_draft_asks_for_confirmation(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    first = make_inbound_sms(text="Where is my order?")
    sms = await tickets.intake(db, first, now=utc_now())
    timeline = await (
        await client.get(f"/api/v1/tickets/{sms.ticket_id}/timeline", headers=headers)
    ).json()
    seen = timeline["items"][-1]["message"]["id"]
    url = f"/api/v1/tickets/{sms.ticket_id}/replies"
    note = await client.post(
        f"/api/v1/tickets/{sms.ticket_id}/notes", headers=headers, json={"text": "checking"}
    )
    assert note.status == 201
    fresh = await client.post(
        url, headers=headers, json={"channel": "sms", "text": "Tomorrow.", "based_on": seen}
    )
    assert fresh.status == 201, "a note does not make a draft stale"
    later = make_inbound_sms(
        text="Also, can you deliver before noon?", from_address=first.from_address
    )
    await tickets.intake(db, later, now=utc_now())
    stale = await client.post(
        url,
        headers=headers,
        json={"channel": "sms", "text": "Yes.", "based_on": seen, "draft_key": "draft-stale-1"},
    )
    assert stale.status == 409
    answer = await stale.json()
    assert answer["error"]["code"] == "ticket_changed"
    texts = [m["body_text"] for m in answer["newer"]]
    assert texts == ["Also, can you deliver before noon?"], "one's own reply does not count"
    confirmed = await client.post(
        url,
        headers=headers,
        json={
            "channel": "sms",
            "text": "Yes.",
            "based_on": seen,
            "draft_key": "draft-stale-1",
            "confirm": True,
        },
    )
    assert confirmed.status == 201
    unknown = await client.post(
        url,
        headers=headers,
        json={"channel": "sms", "text": "Yes.", "based_on": "e3e70682-c209-1cac-a29f-6fbed82c07cd"},
    )
    assert unknown.status == 404 and (await unknown.json())["error"]["field"] == "based_on"


async def test_a_ticket_with_only_a_note_still_catches_a_stale_draft(
    client: Client, db: SingleConnectionPool
) -> None:
    # Opened by hand, the ticket holds a note and no customer-facing message: the old id
    # form had nothing to name, so the check was skipped. The highest seq seen covers it.
    agent, other = await make_user(db, Role.AGENT), await make_user(db, Role.AGENT)
    headers, other_headers = await token_for(db, agent), await token_for(db, other)
    customer = await make_customer(db, emails=["note.only@example.net"])
    opened = await client.post(
        "/api/v1/tickets",
        headers=headers,
        json={"customer_id": str(customer.id), "subject": "Call back", "text": "Rang, no answer"},
    )
    ticket_id = (await opened.json())["id"]
    timeline = await (
        await client.get(f"/api/v1/tickets/{ticket_id}/timeline", headers=headers)
    ).json()
    seen = max(i["message"]["seq"] for i in timeline["items"] if i["message"])
    url = f"/api/v1/tickets/{ticket_id}/replies"
    answered = await client.post(
        url, headers=other_headers, json={"channel": "email", "text": "We will call at three."}
    )
    assert answered.status == 201
    draft = {"channel": "email", "text": "Calling you now.", "draft_key": "draft-note-0001"}
    stale = await client.post(url, headers=headers, json={**draft, "based_on_seq": seen})
    assert stale.status == 409
    answer = await stale.json()
    assert answer["error"]["code"] == "ticket_changed"
    assert [m["body_text"] for m in answer["newer"]] == ["We will call at three."]
    empty = await client.post(url, headers=headers, json={**draft, "based_on_seq": 0})
    assert empty.status == 409, "0: the agent saw no message at all"
    current = await client.post(
        url,
        headers=headers,
        json={**draft, "based_on_seq": (await answered.json())["seq"]},
    )
    assert current.status == 201


async def test_a_reply_is_held_for_the_undo_window_and_can_be_taken_back(
    settings: Settings, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    headers = await token_for(db, agent)
    other = await token_for(db, await make_user(db, Role.AGENT))
    sms = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    held = dataclasses.replace(settings, reply_undo_seconds=5)
    async with client_for(held, db) as client:
        sent = await client.post(
            f"/api/v1/tickets/{sms.ticket_id}/replies",
            headers=headers,
            json={"channel": "sms", "text": "Oops, wrong customer", "draft_key": "draft-undo-1"},
        )
        message = await sent.json()
        (row,) = await rows(
            db, "SELECT * FROM outbound_messages WHERE message_id = $1", sent_id := message["id"]
        )
        assert (row["next_attempt_at"] - row["created_at"]).total_seconds() == 5
        # The delivery job, run during the window, leaves it alone.
        assert await deliver_one(db, {}, row["id"], now=utc_now()) is None
        assert await outbox.claim(db, row["id"], now=utc_now()) is None
        undo = f"/api/v1/tickets/{sms.ticket_id}/replies/{sent_id}/undo"
        assert (await client.post(undo, headers=other)).status == 403
        undone = await client.post(undo, headers=headers)
        assert undone.status == 200, await undone.text()
        assert (await undone.json())["delivery_status"] == "cancelled"
        assert (await client.post(undo, headers=headers)).status == 200  # again: no change
        timeline = await (
            await client.get(f"/api/v1/tickets/{sms.ticket_id}/timeline", headers=headers)
        ).json()
    (shown,) = [
        i["message"] for i in timeline["items"] if i["message"] and i["message"]["id"] == sent_id
    ]
    assert shown["delivery_status"] == "cancelled" and shown["delivery"]["status"] == "cancelled"
    later = utc_now().replace(year=utc_now().year + 1)
    assert await deliver_one(db, {}, row["id"], now=later) is None  # never sent
    actions = await rows(
        db,
        "SELECT action FROM audit_log WHERE entity = 'ticket' AND entity_id = $1 ORDER BY id",
        str(sms.ticket_id),
    )
    assert [r["action"] for r in actions][-2:] == ["reply_queued", "reply_cancelled"]


async def test_a_reply_that_has_left_cannot_be_undone(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    sms = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    sent = await (
        await client.post(
            f"/api/v1/tickets/{sms.ticket_id}/replies",
            headers=headers,
            json={"channel": "sms", "text": "On its way"},
        )
    ).json()
    (row,) = await rows(db, "SELECT id FROM outbound_messages WHERE message_id = $1", sent["id"])
    assert await outbox.claim(db, row["id"], now=utc_now()) is not None  # a worker took it
    late = await client.post(
        f"/api/v1/tickets/{sms.ticket_id}/replies/{sent['id']}/undo", headers=headers
    )
    assert late.status == 409 and (await late.json())["error"]["code"] == "already_sent"
    inbound = await client.post(
        f"/api/v1/tickets/{sms.ticket_id}/replies/{sms.message_id}/undo", headers=headers
    )
    assert inbound.status == 409


async def test_a_delivery_job_that_comes_early_is_queued_again_for_the_due_time(
    settings: Settings, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    sms = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    async with client_for(dataclasses.replace(settings, reply_undo_seconds=5), db) as client:
        sent = await client.post(
            f"/api/v1/tickets/{sms.ticket_id}/replies",
            headers=headers,
            json={"channel": "sms", "text": "Soon"},
        )
        message = await sent.json()
    (row,) = await rows(db, "SELECT * FROM outbound_messages WHERE message_id = $1", message["id"])
    jobs_before = await rows(
        db, "SELECT id FROM pgqueuer WHERE payload = $1", str(row["id"]).encode()
    )
    assert await deliver_one(db, {}, row["id"], now=row["created_at"]) is None
    jobs_after = await rows(
        db, "SELECT id FROM pgqueuer WHERE payload = $1", str(row["id"]).encode()
    )
    assert len(jobs_after) == len(jobs_before) + 1

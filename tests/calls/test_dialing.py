"""Callbacks dialled through the Twilio stand-in, paced per calling number across workers."""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ET
from datetime import timedelta

from channels.twilio_voice_control import TwilioCallControl
from contact_center import calls, tickets
from contact_center.audit import Actor
from contact_center.calls import CallbackReason
from contact_center.calls.devcontrol import LoggingCallControl
from contact_center.config import Secret, Settings
from contact_center.timeutil import utc_now
from tests.builders import make_inbound_sms, make_user
from tests.conftest import SingleConnectionPool
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioStandIn


async def open_task(db: SingleConnectionPool) -> tuple[calls.CallbackTask, Actor]:
    agent = await make_user(db)
    actor = Actor(label=agent.email, user_id=agent.id)
    opened = await tickets.intake(db, make_inbound_sms(), now=utc_now())
    task = await calls.create_callback(
        db,
        actor,
        ticket_id=opened.ticket_id,
        due_at=utc_now() + timedelta(hours=1),
        reason=CallbackReason.MANUAL,
        phone=None,
        region="US",
        now=utc_now(),
    )
    return task, actor


async def test_a_callback_is_placed_from_the_service_number_and_bridges_the_agent(
    db: SingleConnectionPool, twilio: TwilioStandIn, settings: Settings
) -> None:
    configured = dataclasses.replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=Secret(AUTH_TOKEN),
        twilio_api_base=twilio.base_url,
        twilio_from_number="+12025550100",
    )
    task, actor = await open_task(db)
    control = TwilioCallControl(configured)
    try:
        result = await calls.place_callback(
            db,
            control,
            f"{task.id} {actor.user_id}",
            options=calls.voice_options(configured),
            now=utc_now(),
        )
    finally:
        await control.close()
    assert result.startswith("placed CA")
    (request,) = twilio.call_requests()
    form = request["form"]
    assert form["To"] == task.phone and form["From"] == "+12025550100"
    assert form["StatusCallback"] == "http://localhost:8080/webhooks/twilio/voice/status"
    dial = ET.fromstring(form["Twiml"]).find("Dial")
    assert dial is not None
    assert actor.user_id is not None
    assert (dial.findtext("Client") or "").strip() == calls.client_identity(actor.user_id)
    placed = await calls.calls_for_ticket(db, task.ticket_id)
    assert [(c.direction, c.state, c.agent_id) for c in placed] == [
        ("outbound", "dialing", actor.user_id)
    ]


async def test_calls_from_one_number_keep_to_the_calls_per_second_limit(
    db: SingleConnectionPool, settings: Settings
) -> None:
    configured = dataclasses.replace(settings, twilio_from_number="+12025550100")
    options = calls.voice_options(configured)
    control = LoggingCallControl()
    now = utc_now()
    first, actor = await open_task(db)
    second, _ = await open_task(db)
    placed = await calls.place_callback(
        db, control, f"{first.id} {actor.user_id}", options=options, now=now
    )
    waiting = await calls.place_callback(
        db, control, f"{second.id} {actor.user_id}", options=options, now=now
    )
    assert placed.startswith("placed") and waiting.startswith("waits for its slot")
    assert [kind for kind, _sid, _answer in control.actions] == ["place"]
    async with db.acquire() as conn:
        payload = await conn.fetchval(
            "SELECT convert_from(payload, 'utf8') FROM pgqueuer"
            " WHERE entrypoint = 'callback-dial'"
            " AND convert_from(payload, 'utf8') LIKE $1 || ' % %'",
            str(second.id),
        )
    assert payload is not None
    # Its slot (in the queued payload) comes due one second later: then it is placed.
    early = await calls.place_callback(db, control, payload, options=options, now=now)
    assert early.startswith("waits for its slot")
    later = await calls.place_callback(
        db, control, payload, options=options, now=now + timedelta(seconds=1)
    )
    assert later.startswith("placed")
    assert len(control.actions) == 2

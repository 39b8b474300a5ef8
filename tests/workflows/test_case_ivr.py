"""A caller who chooses "complaint" in the phone menu starts a case from the IVR."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from tests.builders import unique_phone
from tests.channels.conftest import voice, voice_settings  # noqa: F401 (fixtures)
from tests.channels.voice_helpers import (
    ALWAYS,
    call_form,
    call_row,
    new_call_sid,
    only,
    post_voice,
    set_hours,
)
from tests.conftest import SingleConnectionPool
from tests.workflows.helpers import case_of

Client = TestClient[Any, Any]


async def test_the_ivr_complaint_choice_starts_a_case_from_the_ivr(
    voice: Client,  # noqa: F811
    db: SingleConnectionPool,
) -> None:
    await set_hours(db, ALWAYS)
    phone, sid = unique_phone(), new_call_sid()
    greeting = await post_voice(voice, "/webhooks/twilio/voice", call_form(sid, phone))
    action = only(greeting, "Gather").get("action") or ""
    await post_voice(voice, action, call_form(sid, phone, Digits="1"))
    row = await call_row(db, sid)
    case = await case_of(db, row["ticket_id"])
    assert (case["source"], case["step"]) == ("ivr", "acknowledged")

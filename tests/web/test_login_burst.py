"""A burst of wrong logins at a real Argon2 cost leaves the event loop free for webhooks."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import secrets
import time
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import aiohttp
import asyncpg
import pytest

from contact_center import users
from contact_center.config import Secret, Settings
from contact_center.users import Role
from tests.builders import PASSWORD, TEST_ACTOR
from tests.conftest import client_for
from tests.standins.twilio_api import AUTH_TOKEN
from tests.twilio_signing import load_payload, signature

BURST = 150
# Twice the standard time cost in one lane (about 0.4 s of CPU): one check on the event loop
# would stall it far longer than the burst's own request handling ever does.
COSTLY_ARGON2 = {"argon2_time_cost": 6, "argon2_memory_kib": 64 * 1024, "argon2_parallelism": 1}
SMS_PATH = "/webhooks/twilio/sms"


def signed_headers(params: dict[str, str]) -> dict[str, str]:
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature(AUTH_TOKEN, "http://localhost:8080" + SMS_PATH, params),
    }


class LoopLag:
    """How late the event loop wakes a task that sleeps 5 ms at a time: the longest stall."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            start = loop.time()
            await asyncio.sleep(0.005)
            self.worst = max(self.worst, loop.time() - start - 0.005)

    def __enter__(self) -> LoopLag:
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()


@pytest.mark.commits
async def test_a_burst_of_wrong_logins_leaves_the_loop_free_for_webhooks(
    settings: Settings, pool: asyncpg.Pool[Any]
) -> None:
    settings = dataclasses.replace(
        settings,
        twilio_auth_token=Secret(AUTH_TOKEN),
        twilio_from_number="+12025550100",
        **COSTLY_ARGON2,
    )
    passwords = users.passwords_for(settings)
    user = await users.create_user(
        pool,
        TEST_ACTOR,
        email=f"burst-{secrets.token_hex(4)}@example.com",
        role=Role.AGENT,
        password=PASSWORD,
        passwords=passwords,  # verifying costs what the stored hash says
    )
    stored = await passwords.hash("something else")
    started = time.perf_counter()
    await passwords.verify(stored, "wrong guess")
    one_check = time.perf_counter() - started  # on the loop, this long a stall for each
    sid = "SM" + secrets.token_hex(16)
    sms = load_payload("sms_inbound_basic", MessageSid=sid, SmsSid=sid, SmsMessageSid=sid)
    # Everything the test process has gathered so far (a thousand tests' objects) is frozen
    # out of the collector: a full collection of that heap would stall the loop by itself and
    # say nothing about the service.
    gc.collect()
    gc.freeze()
    try:
        async with client_for(settings, pool) as client:
            lag, webhook, logins_running, statuses = await _burst(client, user.email, sms)
    finally:
        gc.unfreeze()
    assert webhook.status == 200
    assert logins_running > 0, "the webhook waited for the whole burst"
    assert lag.worst < one_check / 2, (lag.worst, one_check)
    assert set(statuses) == {401, 429}  # the throttle held most back without a check


async def _burst(
    client: Any, email: str, sms: dict[str, str]
) -> tuple[LoopLag, aiohttp.ClientResponse, int, Counter[int]]:
    """BURST wrong logins at once, and a webhook while they run, with the loop's lag measured."""
    with LoopLag() as lag:
        logins = [
            asyncio.create_task(
                client.post("/api/v1/auth/login", json={"email": email, "password": "wrong"})
            )
            for _ in range(BURST)
        ]
        await asyncio.sleep(0.05)
        # Its own connection: the test client holds at most 100, all taken by the burst.
        async with aiohttp.ClientSession() as other:
            webhook = await other.post(
                client.make_url(SMS_PATH), data=urlencode(sms), headers=signed_headers(sms)
            )
        logins_running = sum(not t.done() for t in logins)
        statuses = Counter(r.status for r in await asyncio.gather(*logins))
    return lag, webhook, logins_running, statuses

"""Fixtures of the voice tests: the Twilio stand-in, settings pointing at it, a client."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient

from contact_center.config import Secret, Settings
from tests.conftest import SingleConnectionPool, client_for
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN, TwilioStandIn

Client = TestClient[Any, Any]


@pytest.fixture
def voice_settings(settings: Settings, twilio: TwilioStandIn) -> Settings:
    return dataclasses.replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=Secret(AUTH_TOKEN),
        twilio_api_base=twilio.base_url,
        twilio_from_number="+12025550100",
    )


@pytest_asyncio.fixture
async def voice(voice_settings: Settings, db: SingleConnectionPool) -> AsyncIterator[Client]:
    async with client_for(voice_settings, db) as client:
        yield client

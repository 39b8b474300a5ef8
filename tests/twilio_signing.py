"""Signing webhook requests exactly as Twilio does, and posting recorded payloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient
from twilio.request_validator import RequestValidator

DATA = Path(__file__).parent / "data" / "twilio"


def load_payload(name: str, **overrides: str) -> dict[str, str]:
    payload: dict[str, str] = json.loads((DATA / f"{name}.json").read_text("utf-8"))
    payload.update(overrides)
    return payload


def signature(token: str, url: str, params: dict[str, str]) -> str:
    return str(RequestValidator(token).compute_signature(url, params))


async def post_twilio(
    client: TestClient[Any, Any],
    path: str,
    params: dict[str, str],
    *,
    token: str,
    public_url: str = "http://localhost:8080",
    signed: bool = True,
    sign_url: str | None = None,
    sign_params: dict[str, str] | None = None,
) -> Any:
    """POST a form like Twilio: the signature covers PUBLIC_URL + path (+ query) and the params."""
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signed:
        headers["X-Twilio-Signature"] = signature(
            token, sign_url or public_url + path, params if sign_params is None else sign_params
        )
    return await client.post(path, data=urlencode(params), headers=headers)

from __future__ import annotations

import dataclasses
import hashlib

from twilio.request_validator import RequestValidator

from channels.twilio_auth import is_valid
from contact_center.config import Secret, Settings
from tests.standins.twilio_api import AUTH_TOKEN


def configured(settings: Settings) -> Settings:
    return dataclasses.replace(settings, twilio_auth_token=Secret(AUTH_TOKEN))


def test_json_bodies_are_checked_by_their_sha256(settings: Settings) -> None:
    body = b'{"MessageSid": "SM1", "From": "+12025550143"}'
    url = (
        "https://support.example.com/webhooks/twilio/sms?bodySHA256="
        + hashlib.sha256(body).hexdigest()
    )
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, {})
    assert is_valid(configured(settings), url, body, signature, json_body=True)
    assert not is_valid(configured(settings), url, body + b" ", signature, json_body=True)


def test_nothing_validates_without_a_configured_token(settings: Settings) -> None:
    url = "http://localhost:8080/webhooks/twilio/sms"
    signature = RequestValidator("").compute_signature(url, {"a": "b"})
    assert not is_valid(settings, url, b"a=b", signature, json_body=False)


def test_the_order_of_form_fields_does_not_matter(settings: Settings) -> None:
    url = "http://localhost:8080/webhooks/twilio/sms"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, {"Body": "x", "To": "+1"})
    assert is_valid(configured(settings), url, b"To=%2B1&Body=x", signature, json_body=False)

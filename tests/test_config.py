import json
from pathlib import Path

import pytest

from contact_center.config import DEV_TWILIO_FROM_NUMBER, ConfigError, Secret, load_settings


def test_defaults_are_usable() -> None:
    settings = load_settings({})
    assert settings.port == 8080
    assert settings.public_url == "http://localhost:8080"
    assert settings.default_phone_region == "US"
    assert settings.database_url is None
    assert settings.log_format == "text" and settings.inbound_smtp_max_line_bytes == 1024 * 1024
    assert load_settings({"LOG_FORMAT": "JSON"}).log_format == "json"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"SITE_TIMEZONE": "Mars/Olympus"}, "SITE_TIMEZONE"),
        ({"DEFAULT_PHONE_REGION": "XX"}, "DEFAULT_PHONE_REGION"),
        ({"PUBLIC_URL": "ftp://example.com"}, "PUBLIC_URL"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"SMTP_STARTTLS": "maybe"}, "SMTP_STARTTLS"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"INBOUND_SMTP_IDLE_SECONDS": "0"}, "INBOUND_SMTP_IDLE_SECONDS"),
        ({"INBOUND_SMTP_CONNECTIONS_PER_ADDRESS": "0"}, "INBOUND_SMTP_CONNECTIONS_PER_ADDRESS"),
        ({"INBOUND_SMTP_MAX_LINE_BYTES": "998"}, "INBOUND_SMTP_MAX_LINE_BYTES"),
        ({"ARGON2_PARALLELISM": "4", "ARGON2_MEMORY_KIB": "16"}, "ARGON2_MEMORY_KIB"),
        ({"ARGON2_TIME_COST": "0"}, "ARGON2_TIME_COST"),
    ],
)
def test_a_bad_variable_is_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(env)


def test_the_argon2_cost_is_read() -> None:
    settings = load_settings(
        {"ARGON2_TIME_COST": "2", "ARGON2_MEMORY_KIB": "19456", "ARGON2_PARALLELISM": "1"}
    )
    assert (settings.argon2_time_cost, settings.argon2_memory_kib) == (2, 19456)
    assert settings.argon2_parallelism == 1
    defaults = load_settings({})
    assert (defaults.argon2_time_cost, defaults.argon2_memory_kib) == (3, 65536)


def test_secrets_never_show_in_reprs() -> None:
    settings = load_settings({"TWILIO_AUTH_TOKEN": "abcdef0123456789", "SECRET_KEY": "k" * 32})
    assert "abcdef" not in repr(settings)
    assert repr(Secret("x")) == "Secret('***')"


def test_ack_templates_are_read_and_checked(tmp_path: Path) -> None:
    good = tmp_path / "acks.json"
    good.write_text(json.dumps({"sms": {"en": "Thanks, ticket {number}"}}))
    assert (
        load_settings({"ACK_TEMPLATES": str(good)}).ack_templates["sms"]["en"].startswith("Thanks")
    )
    for content in [
        '{"fax": {"en": "x"}}',
        '{"sms": {"en": "{amount}"}}',
        '{"sms": "x"}',
        "not json",
    ]:
        bad = tmp_path / "bad.json"
        bad.write_text(content)
        with pytest.raises(ConfigError, match="ACK_TEMPLATES"):
            load_settings({"ACK_TEMPLATES": str(bad)})


def test_demo_mode_has_a_sender_number_until_a_real_one_is_set() -> None:
    """Reminders, greetings and broadcasts answer no customer's number: in demo mode with the
    development credentials they still have one (and go to the sink)."""
    assert load_settings({"DEMO": "true"}).twilio_from_number == DEV_TWILIO_FROM_NUMBER
    assert load_settings({}).twilio_from_number == ""
    real = {"DEMO": "true", "TWILIO_FROM_NUMBER": "+15555550142"}
    assert load_settings(real).twilio_from_number == "+15555550142"
    with_provider = {"DEMO": "true", "TWILIO_AUTH_TOKEN": "real-token-from-the-console"}
    assert load_settings(with_provider).twilio_from_number == ""

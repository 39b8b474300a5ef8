"""Settings read once from the environment, validated, and passed down.

This is the only module that looks at environment variables.
"""

from __future__ import annotations

import dataclasses
import json
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

# Demo mode with no Twilio settings uses these, so that `scripts/simulate.py` can sign its
# webhooks with no setup. They are not secrets and never used outside demo mode.
DEV_TWILIO_ACCOUNT_SID = "AC" + "0" * 32
DEV_TWILIO_AUTH_TOKEN = "dev-auth-token-for-demo-mode-only"
# Demo mode's own sender number (the 555-01XX range kept for fiction): messages that answer no
# customer (visit reminders, greetings, broadcasts) need one, and they go to the sink anyway.
DEV_TWILIO_FROM_NUMBER = "+15555550100"
# Names of this machine: a public URL on one of them is the default, local set-up.
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class ConfigError(Exception):
    """A bad environment variable; the message names it."""


@dataclasses.dataclass(frozen=True)
class Secret:
    """A value that never shows in logs or reprs."""

    value: str

    def __repr__(self) -> str:
        return "Secret('***')" if self.value else "Secret('')"

    def __str__(self) -> str:
        return repr(self)

    def __bool__(self) -> bool:
        return bool(self.value)


@dataclasses.dataclass(frozen=True)
class Settings:
    database_url: str | None = None
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8080
    public_url: str = "http://localhost:8080"
    site_timezone: str = "UTC"
    default_phone_region: str = "US"
    secret_key: Secret = Secret("")
    twilio_account_sid: str = ""
    twilio_auth_token: Secret = Secret("")
    twilio_api_base: str = "https://api.twilio.com"
    twilio_from_number: str = ""
    twilio_dev_credentials: bool = False  # demo mode filled in the development values above
    sms_per_second: int = 1
    reply_undo_seconds: int = 5  # an agent's reply waits this long in the outbox, undoable
    acknowledge: bool = True
    reopen_window_days: int = 30
    ack_templates: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)
    inbound_smtp_host: str = "127.0.0.1"
    inbound_smtp_port: int = 2525
    mail_domain: str = "example.com"
    smtp_host: str = ""  # empty: no outbound mail relay
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: Secret = Secret("")
    smtp_starttls: bool = False
    max_mail_bytes: int = 10 * 1024 * 1024
    # RFC 5322 caps lines at 998 bytes, but real senders exceed it and common MTAs accept them.
    inbound_smtp_max_line_bytes: int = 1024 * 1024
    inbound_smtp_idle_seconds: int = 60
    inbound_smtp_connections_per_address: int = 20
    session_ttl_hours: int = 12
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 64 * 1024
    argon2_parallelism: int = 4
    thread_window_days: int = 7
    log_level: str = "INFO"
    demo: bool = False
    log_format: str = "text"
    live_event_retention_hours: int = 24  # how long the event log keeps events for catch-up
    # Voice: the IVR's texts per name and language (VOICE_TEXTS, a JSON file), hold audio,
    # callbacks and the browser phone's access tokens.
    voice_texts: Mapping[str, Mapping[str, str]] = dataclasses.field(default_factory=dict)
    hold_audio_url: str = "http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3"
    calls_per_second: int = 1
    callback_business_hours: int = 4
    key_account_callback_hours: int = 24
    place_back_minutes: int = 5
    voicemail_seconds: int = 120
    twilio_api_key_sid: str = ""
    twilio_api_key_secret: Secret = Secret("")
    twilio_twiml_app_sid: str = ""
    # Routing: how long an offer waits for the agent's answer, by the capacity it takes, and
    # how many offers in a row an agent may let run out before they are set away.
    routing_voice_offer_seconds: int = 20
    routing_messaging_offer_seconds: int = 120
    routing_missed_offers_away: int = 3

    @property
    def thread_window(self) -> timedelta:
        return timedelta(days=self.thread_window_days)

    @property
    def reopen_window(self) -> timedelta:
        return timedelta(days=self.reopen_window_days)

    @property
    def support_address(self) -> str:
        return f"support@{self.mail_domain}"

    @property
    def twilio_configured(self) -> bool:
        """A real Twilio account to send SMS through (not demo mode's development values)."""
        return bool(self.twilio_account_sid and self.twilio_auth_token.value) and not (
            self.twilio_dev_credentials
        )

    @property
    def smtp_configured(self) -> bool:
        return bool(self.smtp_host)

    @property
    def secure_cookies(self) -> bool:
        """`__Host-` cookies need Secure; browsers treat http://localhost as secure too."""
        parts = urlsplit(self.public_url)
        return parts.scheme == "https" or parts.hostname in LOOPBACK_HOSTS


def _int(env: Mapping[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _phone(env: Mapping[str, str], name: str) -> str:
    raw = env.get(name, "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        raise ConfigError(f"{name} must be a phone number in +E.164 form, got {raw!r}") from None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


ACK_TEMPLATE_NAMES = (
    "sms",
    "sms_complaint",
    "email",
    "email_complaint",
    "email_subject",
    "sms_help",
)


def _ack_templates(path: str) -> dict[str, dict[str, str]]:
    """ACK_TEMPLATES names a JSON file: {"sms": {"en": "... #{number} ..."}, ...}."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"ACK_TEMPLATES: cannot read {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError("ACK_TEMPLATES must hold a JSON object")
    for name, texts in data.items():
        if name not in ACK_TEMPLATE_NAMES:
            raise ConfigError(
                f"ACK_TEMPLATES: unknown template {name!r}; known: {ACK_TEMPLATE_NAMES}"
            )
        if not isinstance(texts, dict) or not all(isinstance(t, str) for t in texts.values()):
            raise ConfigError(f"ACK_TEMPLATES: {name} must map language codes to texts")
        for language, text in texts.items():
            try:
                text.format(number=1000, name="")
            except (KeyError, IndexError, ValueError):
                raise ConfigError(
                    f"ACK_TEMPLATES: {name}.{language} may only use {{number}} and {{name}}"
                ) from None
    return data


VOICE_TEXT_NAMES = (
    "greeting",
    "greeting_known",
    "menu",
    "invalid",
    "queued",
    "place_back",
    "position",
    "closed",
    "busy",
    "voicemail_thanks",
    "connecting",
    "callback",
)


def _voice_texts(path: str) -> dict[str, dict[str, str]]:
    """VOICE_TEXTS names a JSON file: {"menu": {"en": "...", "zh_Hans": "..."}, ...}; the
    placeholders are {name} (greeting_known), {position} and {minutes} (position)."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"VOICE_TEXTS: cannot read {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError("VOICE_TEXTS must hold a JSON object")
    for name, texts in data.items():
        if name not in VOICE_TEXT_NAMES:
            raise ConfigError(f"VOICE_TEXTS: unknown text {name!r}; known: {VOICE_TEXT_NAMES}")
        if not isinstance(texts, dict) or not all(isinstance(t, str) for t in texts.values()):
            raise ConfigError(f"VOICE_TEXTS: {name} must map language codes to texts")
        for language, text in texts.items():
            try:
                text.format(name="", position=1, minutes=1)
            except (KeyError, IndexError, ValueError):
                raise ConfigError(
                    f"VOICE_TEXTS: {name}.{language} may only use {{name}}, {{position}}, "
                    "{minutes}"
                ) from None
    return data


def _url(env: Mapping[str, str], name: str, default: str, schemes: set[str]) -> str:
    raw = env.get(name) or default
    parts = urlsplit(raw)
    if parts.scheme not in schemes or (not parts.netloc and parts.scheme.startswith("http")):
        raise ConfigError(f"{name} must be a URL starting with {' or '.join(sorted(schemes))}")
    return raw.rstrip("/")


def load_settings(env: Mapping[str, str]) -> Settings:
    """Build Settings from an environment mapping; raises ConfigError naming the bad variable."""
    port = _int(env, "PORT", 8080, low=0, high=65535)
    database_url = env.get("DATABASE_URL") or None
    if database_url is not None:
        _url(env, "DATABASE_URL", database_url, {"postgres", "postgresql"})
    site_timezone = env.get("SITE_TIMEZONE") or "UTC"
    try:
        ZoneInfo(site_timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"SITE_TIMEZONE is not a known time zone: {site_timezone!r}") from None
    region = (env.get("DEFAULT_PHONE_REGION") or "US").upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f"DEFAULT_PHONE_REGION is not a known region code: {region!r}")
    log_level = (env.get("LOG_LEVEL") or "INFO").upper()
    if log_level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {log_level!r}")
    log_format = (env.get("LOG_FORMAT") or "text").lower()
    if log_format not in {"text", "json"}:
        raise ConfigError(f"LOG_FORMAT must be text or json, got {log_format!r}")
    argon2_parallelism = _int(env, "ARGON2_PARALLELISM", 4, low=1, high=64)
    argon2_memory_kib = _int(
        env, "ARGON2_MEMORY_KIB", 64 * 1024, low=8 * argon2_parallelism, high=4 * 1024 * 1024
    )
    # Without a configured key each start gets a fresh one: fine for a demo, and it only
    # signs short-lived values, never stored data.
    secret_key = env.get("SECRET_KEY") or secrets.token_urlsafe(32)
    if len(secret_key) < 16:
        raise ConfigError("SECRET_KEY must be at least 16 characters")
    demo = _bool(env, "DEMO", False)
    account_sid, auth_token = env.get("TWILIO_ACCOUNT_SID", ""), env.get("TWILIO_AUTH_TOKEN", "")
    dev_twilio = demo and not auth_token
    if dev_twilio:
        account_sid = account_sid or DEV_TWILIO_ACCOUNT_SID
        auth_token = DEV_TWILIO_AUTH_TOKEN
    return Settings(
        database_url=database_url,
        data_dir=Path(env.get("DATA_DIR") or "var"),
        host=env.get("HOST") or "127.0.0.1",
        port=port,
        public_url=_url(env, "PUBLIC_URL", f"http://localhost:{port}", {"http", "https"}),
        site_timezone=site_timezone,
        default_phone_region=region,
        secret_key=Secret(secret_key),
        twilio_account_sid=account_sid,
        twilio_auth_token=Secret(auth_token),
        twilio_dev_credentials=dev_twilio,
        twilio_api_base=_url(env, "TWILIO_API_BASE", "https://api.twilio.com", {"http", "https"}),
        twilio_from_number=_phone(env, "TWILIO_FROM_NUMBER")
        or (DEV_TWILIO_FROM_NUMBER if dev_twilio else ""),
        sms_per_second=_int(env, "SMS_PER_SECOND", 1, low=0, high=1000),
        reply_undo_seconds=_int(env, "REPLY_UNDO_SECONDS", 5, low=0, high=120),
        acknowledge=_bool(env, "ACKNOWLEDGE", True),
        reopen_window_days=_int(env, "REOPEN_WINDOW_DAYS", 30, low=0, high=3650),
        ack_templates=_ack_templates(env.get("ACK_TEMPLATES", "")),
        inbound_smtp_host=env.get("INBOUND_SMTP_HOST") or "127.0.0.1",
        inbound_smtp_port=_int(env, "INBOUND_SMTP_PORT", 2525, low=0, high=65535),
        mail_domain=(env.get("MAIL_DOMAIN") or "example.com").lower(),
        smtp_host=env.get("SMTP_HOST", "").strip(),
        smtp_port=_int(env, "SMTP_PORT", 25, low=1, high=65535),
        smtp_user=env.get("SMTP_USER", ""),
        smtp_password=Secret(env.get("SMTP_PASSWORD", "")),
        smtp_starttls=_bool(env, "SMTP_STARTTLS", False),
        max_mail_bytes=_int(
            env, "MAX_MAIL_BYTES", 10 * 1024 * 1024, low=1024, high=100 * 1024 * 1024
        ),
        inbound_smtp_max_line_bytes=_int(
            env, "INBOUND_SMTP_MAX_LINE_BYTES", 1024 * 1024, low=1000, high=100 * 1024 * 1024
        ),
        inbound_smtp_idle_seconds=_int(env, "INBOUND_SMTP_IDLE_SECONDS", 60, low=1, high=3600),
        inbound_smtp_connections_per_address=_int(
            env, "INBOUND_SMTP_CONNECTIONS_PER_ADDRESS", 20, low=1, high=100_000
        ),
        session_ttl_hours=_int(env, "SESSION_TTL_HOURS", 12, low=1, high=24 * 30),
        argon2_time_cost=_int(env, "ARGON2_TIME_COST", 3, low=1, high=100),
        argon2_memory_kib=argon2_memory_kib,
        argon2_parallelism=argon2_parallelism,
        thread_window_days=_int(env, "THREAD_WINDOW_DAYS", 7, low=0, high=365),
        log_level=log_level,
        demo=demo,
        log_format=log_format,
        live_event_retention_hours=_int(env, "LIVE_EVENT_RETENTION_HOURS", 24, low=1, high=24 * 90),
        voice_texts=_voice_texts(env.get("VOICE_TEXTS", "")),
        hold_audio_url=_url(env, "HOLD_AUDIO_URL", Settings.hold_audio_url, {"http", "https"}),
        calls_per_second=_int(env, "CALLS_PER_SECOND", 1, low=1, high=100),
        callback_business_hours=_int(env, "CALLBACK_BUSINESS_HOURS", 4, low=1, high=24 * 14),
        key_account_callback_hours=_int(env, "KEY_ACCOUNT_CALLBACK_HOURS", 24, low=1, high=24 * 14),
        place_back_minutes=_int(env, "PLACE_BACK_MINUTES", 5, low=0, high=60),
        voicemail_seconds=_int(env, "VOICEMAIL_SECONDS", 120, low=10, high=3600),
        twilio_api_key_sid=env.get("TWILIO_API_KEY_SID", "").strip(),
        twilio_api_key_secret=Secret(env.get("TWILIO_API_KEY_SECRET", "")),
        twilio_twiml_app_sid=env.get("TWILIO_TWIML_APP_SID", "").strip(),
        routing_voice_offer_seconds=_int(env, "ROUTING_VOICE_OFFER_SECONDS", 20, low=5, high=600),
        routing_messaging_offer_seconds=_int(
            env, "ROUTING_MESSAGING_OFFER_SECONDS", 120, low=5, high=3600
        ),
        routing_missed_offers_away=_int(env, "ROUTING_MISSED_OFFERS_AWAY", 3, low=1, high=100),
    )

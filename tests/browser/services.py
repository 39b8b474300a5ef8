"""Real service processes for browser tests: `contact-center serve` or `web` as subprocesses on
free ports of 127.0.0.1, on the test module's database, with their traffic kept on this host
(SMS to the in-process Twilio stand-in, mail to the in-process SMTP capture).

Each process writes its output to a log file; `RUNNING` lists the live ones so that a failed
test's report carries their log tails (see `pytest_runtest_makereport` in conftest.py).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp

from tests.builders import TEST_ARGON2
from tests.standins.twilio_api import ACCOUNT_SID, AUTH_TOKEN
from tests.twilio_signing import signature

ROOT = Path(__file__).resolve().parents[2]
SMS_PATH = "/webhooks/twilio/sms"
SUPPORT_NUMBER = "+12025550100"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
LOG_TAIL = 6000
# Both processes of `two_services` sign and check with the same key, as a real deployment would.
SECRET_KEY = "browser-test-secret-key-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class ServiceProcess:
    """One running `contact-center` process; `url` is also its PUBLIC_URL."""

    name: str
    command: str  # "serve" (web, worker and inbound SMTP) or "web"
    port: int
    log: Path
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    auth_token: str = AUTH_TOKEN
    inbound_smtp_port: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_tail(self, size: int = LOG_TAIL) -> str:
        try:
            return self.log.read_text("utf-8", "replace")[-size:]
        except OSError:
            return ""

    def start(self) -> None:
        out = self.log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "contact_center", self.command, "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()  # the child holds its own copy
        RUNNING.append(self)

    async def wait_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
            while time.monotonic() < deadline:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}"
                    )
                try:
                    async with session.get(self.url + "/healthz") as answer:
                        if answer.status == 200:
                            return
                except (aiohttp.ClientError, OSError, TimeoutError):
                    pass
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} did not become healthy:\n{self.log_tail()}")

    def stop(self) -> None:
        """SIGTERM (a clean shutdown), SIGKILL when it does not stop in time."""
        if self in RUNNING:
            RUNNING.remove(self)
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


RUNNING: list[ServiceProcess] = []


@atexit.register
def stop_leftovers() -> None:
    """An interrupted run (Ctrl-C between fixtures) still leaves no process behind."""
    for service in list(RUNNING):
        service.stop()


def service_env(
    *,
    database_url: str,
    port: int,
    data_dir: Path,
    twilio_base: str,
    smtp_port: int,
    inbound_smtp_port: int,
    extra: dict[str, str] | None = None,
) -> dict[str, str]:
    """Only what the process needs: nothing leaks in from the shell running the tests."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")
    env = {name: os.environ[name] for name in keep if name in os.environ}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DATA_DIR": str(data_dir),
            "HOST": "127.0.0.1",
            "PUBLIC_URL": f"http://127.0.0.1:{port}",
            "SECRET_KEY": SECRET_KEY,
            "ARGON2_TIME_COST": str(TEST_ARGON2.time_cost),
            "ARGON2_MEMORY_KIB": str(TEST_ARGON2.memory_kib),
            "ARGON2_PARALLELISM": str(TEST_ARGON2.parallelism),
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_API_BASE": twilio_base,
            "TWILIO_FROM_NUMBER": SUPPORT_NUMBER,
            "SMS_PER_SECOND": "50",
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMTP_STARTTLS": "false",
            "MAIL_DOMAIN": "example.com",
            "INBOUND_SMTP_HOST": "127.0.0.1",
            "INBOUND_SMTP_PORT": str(inbound_smtp_port),
            "LOG_LEVEL": "INFO",
        }
    )
    env.update(extra or {})
    return env


async def start_service(
    name: str,
    command: str,
    *,
    folder: Path,
    database_url: str,
    twilio_base: str,
    smtp_port: int,
    extra_env: dict[str, str] | None = None,
) -> ServiceProcess:
    """Start one process and wait until /healthz answers; stopped by `stop()`."""
    port, inbound = free_port(), free_port()
    env = service_env(
        database_url=database_url,
        port=port,
        data_dir=folder / "data",
        twilio_base=twilio_base,
        smtp_port=smtp_port,
        inbound_smtp_port=inbound,
        extra=extra_env,
    )
    service = ServiceProcess(
        name, command, port, folder / f"{name}.log", env, inbound_smtp_port=inbound
    )
    service.start()
    try:
        await service.wait_healthy()
    except BaseException:
        service.stop()
        raise
    return service


def sms_form(
    sender: str, body: str, *, sid: str | None = None, to: str = SUPPORT_NUMBER
) -> dict[str, str]:
    """The form fields Twilio posts for an inbound SMS."""
    sid = sid or "SM" + secrets.token_hex(16)
    return {
        "ToCountry": "US",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "FromCountry": "US",
        "To": to,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
    }


@dataclass(frozen=True)
class WebhookAnswer:
    status: int
    text: str
    sid: str


async def signed_sms(
    service: ServiceProcess, sender: str, body: str, *, sid: str | None = None, **fields: str
) -> WebhookAnswer:
    """POST an inbound SMS webhook to `service`, signed as Twilio signs it (over its
    PUBLIC_URL + path and the form)."""
    form = {**sms_form(sender, body, sid=sid), **fields}
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature(service.auth_token, service.url + SMS_PATH, form),
    }
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session,
        session.post(service.url + SMS_PATH, data=urlencode(form), headers=headers) as answer,
    ):
        return WebhookAnswer(answer.status, await answer.text(), form["MessageSid"])


async def wait_for(predicate: Any, *, within: float = 10.0, every: float = 0.1) -> Any:
    """Poll `predicate()` (sync or async) until it returns something truthy; that value."""
    deadline = time.monotonic() + within
    while True:
        value = predicate()
        if asyncio.iscoroutine(value):
            value = await value
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within} s: {predicate}")
        await asyncio.sleep(every)


VOICE_PATH = "/webhooks/twilio/voice"


async def signed_post(service: ServiceProcess, path: str, form: dict[str, str]) -> WebhookAnswer:
    """POST a Twilio webhook to `service` at `path` (query included, as Twilio signs it)."""
    url = service.url + path
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Twilio-Signature": signature(service.auth_token, url, form),
    }
    async with (
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session,
        session.post(url, data=urlencode(form), headers=headers) as answer,
    ):
        return WebhookAnswer(answer.status, await answer.text(), form.get("CallSid", ""))


def call_form(sid: str, caller: str, status: str = "ringing", **fields: str) -> dict[str, str]:
    """The form fields Twilio posts for an inbound call's webhooks."""
    return {
        "AccountSid": ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
        "CallSid": sid,
        "CallStatus": status,
        "Direction": "inbound",
        "From": caller,
        "To": SUPPORT_NUMBER,
        "FromCountry": "US",
        "ToCountry": "US",
        **fields,
    }

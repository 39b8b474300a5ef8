"""A local stand-in for Twilio's REST API, spoken to by the real `twilio` client.

Magic bodies trigger failures: `__429__` (rate limited), `__503__`, `__500__`, `__slow__`
(answers after the client gave up), `__21211__` (invalid "To" number, permanent), `__garbled__`
(201 with a body that is not JSON, as a broken proxy might answer).
Calls: `Calls.json` places a call (`To` of `+15005550001` answers 400, an invalid number) and
`Calls/{sid}.json` updates a live one (a sid in `ended_sids` answers 400, code 21220: not in
progress); `before_call_answer(sid)`, when set, runs before a placed call's answer goes back
(as Twilio may post the call's first status callbacks before its REST answer arrives).
Every request is recorded for assertions.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"


@dataclass
class TwilioStandIn:
    requests: list[dict[str, Any]] = field(default_factory=list)
    slow_seconds: float = 3.0
    base_url: str = ""
    _sids: Any = field(default_factory=lambda: itertools.count(1))

    async def create_message(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.requests.append(
            {"path": request.path, "form": form, "auth": request.headers.get("Authorization")}
        )
        body = str(form.get("Body", ""))
        if "__429__" in body:
            return error(429, 20429, "Too Many Requests")
        if "__503__" in body:
            return error(503, 20503, "Service Unavailable")
        if "__500__" in body:
            return error(500, 20500, "Internal Server Error")
        if "__21211__" in body:
            return error(400, 21211, "The 'To' number is not a valid phone number.")
        if "__garbled__" in body:
            return web.Response(status=201, text="<html>upstream error</html>")
        if "__slow__" in body:
            await asyncio.sleep(self.slow_seconds)
        sid = f"SM{next(self._sids):032x}"
        return web.json_response(
            {
                "sid": sid,
                "account_sid": request.match_info["account"],
                "status": "queued",
                "to": form.get("To"),
                "from": form.get("From"),
                "body": body,
                "num_segments": "1",
                "direction": "outbound-api",
                "uri": f"{request.path[:-5]}/{sid}.json",
            },
            status=201,
        )

    ended_sids: set[str] = field(default_factory=set)
    before_call_answer: Callable[[str], Awaitable[object]] | None = None

    def _call(self, request: web.Request, sid: str, form: dict[str, Any], status: str) -> Any:
        return web.json_response(
            {
                "sid": sid,
                "account_sid": request.match_info["account"],
                "status": status,
                "to": form.get("To"),
                "from": form.get("From"),
                "direction": "outbound-api",
                "uri": f"/2010-04-01/Accounts/{request.match_info['account']}/Calls/{sid}.json",
            },
            status=201 if status == "queued" else 200,
        )

    async def create_call(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.requests.append(
            {"path": request.path, "form": form, "auth": request.headers.get("Authorization")}
        )
        if form.get("To") == "+15005550001":
            return error(400, 21217, "Phone number is not a valid phone number.")
        sid = f"CA{next(self._sids):032x}"
        if self.before_call_answer is not None:
            await self.before_call_answer(sid)
        return self._call(request, sid, form, "queued")

    async def update_call(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        sid = request.match_info["sid"]
        self.requests.append(
            {"path": request.path, "form": form, "auth": request.headers.get("Authorization")}
        )
        if sid in self.ended_sids:
            return error(400, 21220, "Call is not in-progress. Cannot redirect.")
        return self._call(request, sid, form, "in-progress")

    def call_requests(self) -> list[dict[str, Any]]:
        return [r for r in self.requests if "/Calls" in r["path"]]

    def sent(self) -> list[dict[str, Any]]:
        return [r["form"] for r in self.requests if "/Calls" not in r["path"]]


def error(status: int, code: int, message: str) -> web.Response:
    return web.json_response(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status=status,
    )


@asynccontextmanager
async def running_twilio() -> AsyncIterator[TwilioStandIn]:
    standin = TwilioStandIn()
    app = web.Application()
    app.router.add_post("/2010-04-01/Accounts/{account}/Messages.json", standin.create_message)
    app.router.add_post("/2010-04-01/Accounts/{account}/Calls.json", standin.create_call)
    app.router.add_post("/2010-04-01/Accounts/{account}/Calls/{sid}.json", standin.update_call)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    standin.base_url = str(server.make_url("")).rstrip("/")
    try:
        yield standin
    finally:
        await server.close()

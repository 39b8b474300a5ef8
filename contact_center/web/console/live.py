"""GET /live/events: the console's Server-Sent Events stream of live events.

Protocol (browser code depends on it exactly):
- first `retry: 2000`; then per event `id: <events.id>`, `event: <name>`, `data: <JSON object
  with id, event, at and the payload>`; `: keep-alive` comments every 15 s;
- a resume position (the `Last-Event-ID` header EventSource sends on reconnect, or
  `?last_event_id=N`) replays what this user may see after N, then continues live; when those
  events are no longer all kept, `event: reload` with `{"reason": "gap"}` and `id: N`, live
  from N (now);
- without one, `event: hello` with `id: N` and `{"last_event_id": N}`, live from N. The `id`
  line matters: it is what EventSource sends back as `Last-Event-ID` when it reconnects by
  itself, so a stream dropped before its first event still resumes instead of losing what came
  in while it was down (and a reload for a gap is not repeated on every reconnect);
- a stream that falls too far behind gets `event: reload` with `{"reason": "overflow"}` and
  ends (as at shutdown, with `{"reason": "shutdown"}`).
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from contact_center import live
from contact_center.errors import Invalid
from contact_center.live import Dropped, LiveEvent, Subscription
from contact_center.users import User
from contact_center.web.auth import STAFF, require_role
from contact_center.web.errors import error_body
from contact_center.web.keys import HUB, POOL
from contact_center.web.route import Route

KEEP_ALIVE_SECONDS = 15.0
RETRY_MILLISECONDS = 2000
MAX_EVENT_ID = 2**63 - 1


def resume_position(request: web.Request) -> int | None:
    """The id the browser saw last: `Last-Event-ID`, else `?last_event_id=`; None if neither."""
    raw = request.headers.get("Last-Event-ID") or request.query.get("last_event_id")
    if raw is None or raw.strip() == "":
        return None
    try:
        position = int(raw.strip())
    except ValueError:
        raise Invalid("must be an event id (a whole number)", field="last_event_id") from None
    if not 0 <= position <= MAX_EVENT_ID:
        raise Invalid("must be an event id (a whole number)", field="last_event_id")
    return position


def frame(name: str, data: dict[str, Any], event_id: int | None = None) -> bytes:
    """One SSE message. JSON never contains a raw newline, so `data` is a single line."""
    head = f"id: {event_id}\n" if event_id is not None else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, default=str)}\n\n".encode()


def event_frame(event: LiveEvent) -> bytes:
    return frame(event.name, event.data(), event.id)


class Stream:
    """One browser's stream: the subscription and the last id written to it."""

    def __init__(self, response: web.StreamResponse, subscription: Subscription) -> None:
        self.response = response
        self.subscription = subscription
        self.last = 0

    async def send(self, event: LiveEvent) -> None:
        if event.id > self.last:  # never twice: replay and live meet at the hub's position
            await self.response.write(event_frame(event))
            self.last = event.id

    async def start(
        self, request: web.Request, user: User, *, resume: int | None, position: int
    ) -> None:
        """Replay or greet, from `position`: where the hub stood when the subscription began."""
        if resume is None:
            await self.response.write(frame("hello", {"last_event_id": position}, position))
            self.last = position
            return
        missed = await live.read_missed(request.app[POOL], after=resume, upto=position)
        if missed.gap:
            await self.response.write(frame("reload", {"reason": "gap"}, position))
            self.last = position
            return
        for event in missed.events:
            if live.may_see(user.role, user.id, event):
                await self.send(event)
        # Ahead of this process (seen through another one): skip what the browser has.
        self.last = max(position, resume)

    async def relay(self) -> None:
        """Live events until the client goes away or the hub lets go of the subscription."""
        while True:
            try:
                event = await self.subscription.next(KEEP_ALIVE_SECONDS)
            except Dropped as dropped:
                await self.response.write(frame("reload", {"reason": dropped.reason}))
                return
            if event is None:
                await self.response.write(b": keep-alive\n\n")
            else:
                await self.send(event)


async def event_stream(request: web.Request) -> web.StreamResponse:
    user = require_role(request, *STAFF)
    resume = resume_position(request)
    hub = request.app[HUB]
    if hub.position is None:
        return web.json_response(
            error_body("unavailable", "live events are not available yet; retry"),
            status=503,
            headers={"Retry-After": str(RETRY_MILLISECONDS // 1000)},
        )
    # Subscribe and read the hub's position with no await in between: the subscription holds
    # exactly the events after that position, and the replay reads the log up to it.
    subscription = hub.subscribe(lambda event: live.may_see(user.role, user.id, event))
    position = hub.position
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # a buffering proxy would hold events back
        }
    )
    stream = Stream(response, subscription)
    try:
        await response.prepare(request)
        await response.write(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
        await stream.start(request, user, resume=resume, position=position)
        await stream.relay()
    except ConnectionResetError:
        pass  # the browser went away; its EventSource reconnects with Last-Event-ID
    finally:
        hub.unsubscribe(subscription)
    return response


ROUTES: list[Route] = [
    Route(
        "GET",
        "/live/events",
        event_stream,
        "Live events of the console (Server-Sent Events)",
        tag="console",
        console=True,
        media=("text/event-stream",),
    ),
]

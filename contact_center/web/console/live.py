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
  ends (as at shutdown, with `{"reason": "shutdown"}`);
- every KEEP_ALIVE_SECONDS, and at once when a `user.updated` event names the stream's user,
  the stream checks its session or bearer token again: signed out (logout, password change,
  revoked token, deactivated) it gets `event: reload` with `{"reason": "signed_out"}` and ends;
  with another role than at its start (its filter was chosen for that role), with
  `{"reason": "role_changed"}`.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from contact_center import live
from contact_center.errors import Invalid, Unauthorized
from contact_center.live import Dropped, Event, LiveEvent, Subscription
from contact_center.users import User
from contact_center.web.auth import STAFF, authenticate, require_role
from contact_center.web.errors import error_body
from contact_center.web.keys import HUB, POOL
from contact_center.web.route import Route

log = logging.getLogger(__name__)

KEEP_ALIVE_SECONDS = 15.0  # also how often a stream checks its session or token again
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


async def revoked(request: web.Request, user: User) -> str | None:
    """Why the stream's session or bearer token no longer stands for `user` as at its start:
    "signed_out", "role_changed", or None while it still does."""
    try:
        current = await authenticate(request)
    except Unauthorized:
        return "signed_out"
    if current.id != user.id:
        return "signed_out"
    if current.role is not user.role:
        return "role_changed"
    return None


def names(event: LiveEvent, user: User) -> bool:
    """Whether the event says that this user's account changed."""
    return event.name == Event.USER_UPDATED and str(event.payload.get("user_id")) == str(user.id)


class Stream:
    """One browser's stream: the subscription and the last id written to it."""

    def __init__(
        self,
        response: web.StreamResponse,
        subscription: Subscription,
        revoked: Callable[[], Awaitable[str | None]],
    ) -> None:
        self.response = response
        self.subscription = subscription
        self.revoked = revoked
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

    async def relay(self, user: User) -> None:
        """Live events until the client goes away, the hub lets go of the subscription or the
        user's session or token no longer stands (checked on each tick, however busy the
        stream, and when an event says the user's account changed)."""
        tick = time.monotonic() + KEEP_ALIVE_SECONDS
        while True:
            try:
                event = await self.subscription.next(max(0.0, tick - time.monotonic()))
            except Dropped as dropped:
                await self.response.write(frame("reload", {"reason": dropped.reason}))
                return
            ticked = time.monotonic() >= tick
            if (ticked or (event is not None and names(event, user))) and await self._ended(user):
                return
            if ticked:
                tick = time.monotonic() + KEEP_ALIVE_SECONDS
                if event is None:
                    await self.response.write(b": keep-alive\n\n")
            if event is not None:
                await self.send(event)

    async def _ended(self, user: User) -> bool:
        """Check the session or token again; if it no longer stands, say why and end."""
        reason = await self.revoked()
        if reason is None:
            return False
        log.info("live events: ended the stream of user %s (%s)", user.id, reason)
        await self.response.write(frame("reload", {"reason": reason}))
        return True


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
    subscription = hub.subscribe(
        lambda event: live.may_see(user.role, user.id, event), who=f"user {user.id}"
    )
    position = hub.position
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # a buffering proxy would hold events back
        }
    )
    stream = Stream(response, subscription, lambda: revoked(request, user))
    try:
        await response.prepare(request)
        await response.write(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
        await stream.start(request, user, resume=resume, position=position)
        await stream.relay(user)
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

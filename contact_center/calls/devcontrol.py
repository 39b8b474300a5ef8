"""Demo mode's stand-in for acting on calls: without a Twilio account nothing can be
connected or dialled, so it says in the log what it would have done (as the development
sink keeps the SMS it would have sent)."""

from __future__ import annotations

import logging
import secrets

from contact_center.calls.model import VoiceAnswer

log = logging.getLogger("contact_center.calls.dev")


class LoggingCallControl:
    """`calls.CallControl` that only logs; placed calls get made-up CallSids."""

    def __init__(self) -> None:
        self.actions: list[tuple[str, str, VoiceAnswer]] = []

    async def redirect(self, call_sid: str, answer: VoiceAnswer) -> None:
        self.actions.append(("redirect", call_sid, answer))
        log.info("development call control: call %s would now %s", call_sid, answer.next)

    async def place(self, *, to: str, from_: str, answer: VoiceAnswer) -> str:
        sid = "CA" + secrets.token_hex(16)
        self.actions.append(("place", sid, answer))
        log.info("development call control: would call %s from %s (%s)", to, from_, sid)
        return sid

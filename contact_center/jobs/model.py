"""What a periodic job is, and what every job gets to work with."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from contact_center.config import Settings
from contact_center.db import Pool


@dataclass(frozen=True)
class JobContext:
    pool: Pool
    settings: Settings
    senders: dict[Any, Any] = field(default_factory=dict)  # outbox.Senders, keyed by channel
    call_control: Any = None  # calls.CallControl: acts on live calls at the provider


@dataclass(frozen=True)
class Periodic:
    name: str
    cron: str  # minute hour day month weekday, in UTC
    run: Callable[[JobContext], Awaitable[object]]
    # What an operator's `worker --run-once NAME` does, when it differs from the scheduled run
    # (a scheduled run may wait for its hour; asked by hand, the work happens now).
    now: Callable[[JobContext], Awaitable[object]] | None = None


class Failed(str):
    """A task's result saying it did not do its work (the worker logs it at WARNING): a plain
    `str` result is news only at DEBUG."""


# Names of queued tasks that one folder enqueues and another runs (routing queues the voice
# task; calls queues and runs the callback dial): one spelling for both.
CALL_CONNECT_TASK = "call-connect"
CALLBACK_DIAL_TASK = "callback-dial"
# site queues it when the business calendar changes; workflows re-times the running clocks.
CLOCK_RETIME_TASK = "clock-retime"
# customers (and tiering) queue it when an account's visit rules change; visits re-plans the
# manager named in the payload.
VISIT_PLAN_TASK = "visit-plan"


@dataclass(frozen=True)
class Task:
    """A queued job: `run(context, payload)` for each enqueued payload."""

    name: str
    run: Callable[[JobContext, str], Awaitable[object]]

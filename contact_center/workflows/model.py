"""Workflow definitions, complaint cases and the clocks that time tickets and steps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID


class ClockKind(StrEnum):
    FIRST_RESPONSE = "first_response"  # opened -> the first agent reply
    NEXT_UPDATE = "next_update"  # a customer message after the first reply -> the next reply
    RESOLUTION = "resolution"  # opened -> resolved
    STEP = "step"  # a workflow step's deadline (Clock.step names it)


class ClockState(StrEnum):
    RUNNING = "running"
    PAUSED = "paused"  # the ticket waits on the customer (status pending)
    MET = "met"  # stopped by what it waited for (late if breached_at is set)
    CANCELLED = "cancelled"  # no longer asked for (the case withdrawn, the ticket closed)


class ClockEvent(StrEnum):
    STARTED = "started"
    PAUSED = "paused"
    RESUMED = "resumed"
    WARNED = "warned"
    BREACHED = "breached"
    MET = "met"
    CANCELLED = "cancelled"


class ClockMode(StrEnum):
    BUSINESS = "business"  # counted on the site's business calendar
    WALL = "wall"  # counted on the wall clock (a key account's 24 hours)


@dataclass(frozen=True)
class Clock:
    id: int
    ticket_id: UUID
    case_id: int | None
    kind: ClockKind
    step: str | None
    state: ClockState
    mode: ClockMode
    target_seconds: int  # time allowed, in the clock's mode
    used_seconds: int  # time used before the current run (pauses stop it)
    started_at: datetime
    running_since: datetime | None  # None while paused or stopped
    due_at: datetime | None  # None while paused or stopped
    warn_at: datetime | None
    warned_at: datetime | None
    breached_at: datetime | None
    ended_at: datetime | None
    escalate_to: str | None = None
    warn_share: float = 0.8  # the warning falls at this share of the target, in the clock's time


class CaseState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # not a complaint after all (an agent undid the classification)


class CaseSource(StrEnum):
    IVR = "ivr"  # the caller chose "complaint" in the phone menu
    ADDRESS = "address"  # mail to the complaints address
    AGENT = "agent"  # an agent marked the ticket as a complaint
    CLASSIFIER = "classifier"  # the phrases of an SMS or email, with a confidence


class Action(StrEnum):
    """What the system does on entering a step (the definition lists them per step)."""

    ACKNOWLEDGE = "acknowledge"  # thank-you on the customer's channel within a minute
    ASSIGN_OWNER = "assign_owner"  # routing offers the ticket to an owner
    KEY_ACCOUNT_CALLBACK = "key_account_callback"  # callback task due within 24 h
    CONFIRMATION_CALLBACK = "confirmation_callback"  # call the customer to confirm the fix
    FOLLOWUP_VISIT = "followup_visit"  # a key account's follow-up visit request
    SURVEY = "survey"  # satisfaction survey by SMS or email (reply 1-5 or a link)


@dataclass(frozen=True)
class StepDeadline:
    """Time allowed in a step for one kind of account, counted from entering the step or from
    the case's start."""

    within: str  # worktime duration text: "1m", "2h", "2d"
    mode: ClockMode = ClockMode.BUSINESS
    from_case_start: bool = False


@dataclass(frozen=True)
class Step:
    key: str
    title: Mapping[str, str]  # language -> text
    next: tuple[str, ...]
    leave_requires: tuple[str, ...] = ()  # fields needed to leave: owner, category, facts, ...
    on_enter: tuple[Action, ...] = ()
    automatic: bool = False  # the system leaves it for its only next step once its actions ran
    deadline: Mapping[str, StepDeadline] = field(default_factory=dict)  # "default", "key_account"
    warn_at: float | None = None  # share of the deadline; None: the definition's
    escalate_to: str | None = None  # None: the definition's
    final: bool = False


@dataclass(frozen=True)
class Definition:
    id: int  # the stored version's row id (0 before it is stored)
    name: str
    version: int
    title: Mapping[str, str]
    steps: tuple[Step, ...]
    warn_at: float = 0.8
    escalate_to: str = "supervisors"
    reopen_to: str = "investigating"
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # name -> lang -> text
    body: Mapping[str, Any] = field(default_factory=dict)  # the JSON it was read from

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


@dataclass(frozen=True)
class Case:
    id: int
    ticket_id: UUID
    definition_id: int
    step: str
    state: CaseState
    source: CaseSource
    confidence: float | None  # the classifier's, when it started the case
    matched: tuple[str, ...]  # the classifier's matched phrases
    fields: Mapping[str, Any]  # category, facts, resolution, root_cause, callback_outcome, ...
    opened_at: datetime
    step_entered_at: datetime
    closed_at: datetime | None
    key_account: bool

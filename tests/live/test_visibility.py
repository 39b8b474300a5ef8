"""Who receives which live event: decided without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from contact_center.live import Event, LiveEvent, may_see
from contact_center.users import Role

AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def event(name: str, **payload: object) -> LiveEvent:
    return LiveEvent(id=1, name=name, at=AT, payload=dict(payload))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    "name",
    [
        Event.TICKET_OPENED,
        Event.TICKET_UPDATED,
        Event.TICKET_ASSIGNED,
        Event.TICKET_ACTIVITY,
        Event.MESSAGE_RECEIVED,
        Event.NOTE_ADDED,
        Event.REPLY_QUEUED,
        Event.DELIVERY_UPDATED,
        Event.CUSTOMER_CREATED,
        Event.CUSTOMER_UPDATED,
        Event.CUSTOMER_MERGED,
    ],
)
def test_every_staff_role_sees_tickets_and_customers(role: Role, name: Event) -> None:
    assert may_see(role, uuid4(), event(name, ticket_id=str(uuid4())))


def test_an_event_about_a_user_goes_to_that_user() -> None:
    me = uuid4()
    assert may_see(Role.AGENT, me, event(Event.USER_UPDATED, user_id=str(me)))


def test_an_event_about_another_user_is_hidden_from_non_admins() -> None:
    about = event(Event.USER_UPDATED, user_id=str(uuid4()))
    assert not may_see(Role.AGENT, uuid4(), about)
    assert not may_see(Role.SUPERVISOR, uuid4(), about)
    assert may_see(Role.ADMIN, uuid4(), about)


def test_token_events_follow_the_same_rule() -> None:
    me = uuid4()
    assert may_see(Role.AGENT, me, event("token.created", user_id=str(me)))
    assert not may_see(Role.ACCOUNT_MANAGER, uuid4(), event("token.created", user_id=str(me)))


def test_an_unknown_event_name_from_a_newer_process_still_passes_for_staff() -> None:
    assert may_see(Role.AGENT, uuid4(), event("visit.planned"))

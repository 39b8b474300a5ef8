from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from contact_center.audit import AuditEntry
from contact_center.tickets import Channel, Direction, Message
from contact_center.tickets.timeline_merge import merge_timeline

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
AGENT = uuid4()


def message(direction: Direction, at: datetime, seq: int) -> Message:
    return Message(
        id=uuid4(),
        ticket_id=uuid4(),
        direction=direction,
        channel=Channel.NOTE if direction is Direction.INTERNAL else Channel.SMS,
        provider_id=None,
        from_address="",
        to_address="",
        subject="",
        body_text=f"m{seq}",
        body_html="",
        attachments=[],
        delivery_status=None,
        author_id=None,
        created_at=at,
        rfc_message_id=None,
        seq=seq,
    )


def entry(action: str, at: datetime, before: dict | None, after: dict | None) -> AuditEntry:
    return AuditEntry(1, at, AGENT, "agent@example.com", "ticket", "x", action, before, after)


def test_messages_notes_and_changes_come_in_time_order() -> None:
    inbound = message(Direction.INBOUND, T0, 1)
    note = message(Direction.INTERNAL, T0 + timedelta(minutes=2), 2)
    reply = message(Direction.OUTBOUND, T0 + timedelta(minutes=3), 3)
    entries = [
        entry("opened", T0, None, {"number": 1000}),
        entry(
            "updated",
            T0 + timedelta(minutes=1),
            {"status": "new", "assignee_id": None},
            {"status": "open", "assignee_id": str(AGENT)},
        ),
        entry("note_added", T0 + timedelta(minutes=2), None, {"message_id": str(note.id)}),
        entry("reply_queued", T0 + timedelta(minutes=3), None, {"message_id": str(reply.id)}),
    ]
    items = merge_timeline([inbound, note, reply], entries, {str(AGENT): "Sam Agent"})
    assert [i.kind for i in items] == ["event", "message", "event", "event", "note", "message"]
    opened, status, assignee = (i.event for i in (items[0], items[2], items[3]))
    assert opened is not None and opened.action == "opened"
    assert status is not None and (status.field, status.before, status.after) == (
        "status",
        "new",
        "open",
    )
    assert assignee is not None and assignee.after_label == "Sam Agent"
    assert assignee.before is None and assignee.before_label is None
    assert items[4].message is note and items[5].message is reply

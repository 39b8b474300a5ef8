"""Who may undo a merge: supervisors and admins always; whoever merged it, for a day."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from contact_center.merges import may_undo_merge

MERGED_AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_agent_who_merged_may_undo_it_within_a_day() -> None:
    me = uuid4()
    within = MERGED_AT + timedelta(hours=23, minutes=59)
    assert may_undo_merge(
        any_merge=False, user_id=me, merged_by=me, merged_at=MERGED_AT, now=within
    )
    later = MERGED_AT + timedelta(hours=24, seconds=1)
    assert not may_undo_merge(
        any_merge=False, user_id=me, merged_by=me, merged_at=MERGED_AT, now=later
    )


def test_another_agent_may_not_and_a_supervisor_always_may() -> None:
    me, other = uuid4(), uuid4()
    assert not may_undo_merge(
        any_merge=False, user_id=me, merged_by=other, merged_at=MERGED_AT, now=MERGED_AT
    )
    assert not may_undo_merge(
        any_merge=False, user_id=me, merged_by=None, merged_at=MERGED_AT, now=MERGED_AT
    )
    years_later = MERGED_AT + timedelta(days=800)
    assert may_undo_merge(
        any_merge=True, user_id=me, merged_by=other, merged_at=MERGED_AT, now=years_later
    )

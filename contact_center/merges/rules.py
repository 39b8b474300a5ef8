"""Who may undo a merge. Pure.

A wrong merge is noticed by the person who made it, usually at once: they may undo their own
merge for a day. Supervisors and admins may undo any merge at any time.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

OWN_UNDO_WINDOW = timedelta(hours=24)


def may_undo_merge(
    *,
    any_merge: bool,
    user_id: UUID,
    merged_by: UUID | None,
    merged_at: datetime,
    now: datetime,
) -> bool:
    if any_merge:
        return True
    return merged_by == user_id and now - merged_at <= OWN_UNDO_WINDOW

"""A dispatch round claims the items its free agents could serve: a line nobody free can take
does not hold up the work behind it."""

from __future__ import annotations

from datetime import timedelta

from contact_center import routing, tickets
from contact_center.routing import ItemKind
from contact_center.timeutil import utc_now
from tests.builders import make_inbound_email
from tests.conftest import SingleConnectionPool
from tests.routing.helpers import enqueue, make_agent


async def test_a_new_call_is_offered_behind_a_backlog_nobody_free_can_take(
    db: SingleConnectionPool,
) -> None:
    now = utc_now()
    earlier = now - timedelta(hours=1)
    for _ in range(300):  # more than a round's batch
        await tickets.intake(db, make_inbound_email(), now=earlier)
    voice_only = await make_agent(db, now, messaging_capacity=0)
    item_id, _ = await enqueue(db, now, kind=ItemKind.CALL)
    assert await routing.dispatch(db, now=now) == 1
    view = await routing.current_offer(db, voice_only.id)
    assert view is not None and view.item.id == item_id

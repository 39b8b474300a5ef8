"""The deadlines lists read the partial index of warned live clocks, not every live clock."""

from __future__ import annotations

import json
from typing import Any

import pytest

from contact_center.workflows import clock_store


@pytest.mark.parametrize("state", ["warned", "breached"])
async def test_the_deadlines_query_can_use_the_partial_index(conn: Any, state: str) -> None:
    # An empty table would be read whole: with sequential scans off, the planner shows
    # whether an index fits the query at all.
    await conn.execute("SET LOCAL enable_seqscan = off")
    rows = await conn.fetch(
        "EXPLAIN (FORMAT JSON) " + clock_store.DEADLINES.strip(), None, state, 500
    )
    plan = json.dumps(json.loads(rows[0][0]) if isinstance(rows[0][0], str) else rows[0][0])
    assert "clocks_deadlines" in plan

"""The supervisor's live queue board and a waiting caller's place in line (read models)."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn, Pool, transaction
from contact_center.routing import board_store, queue_store, store

ITEMS_PER_QUEUE = 50
SECONDS_PER_PLACE = 60  # the wait announced for each caller ahead when nothing was answered lately


async def board(pool: Pool, *, now: datetime, day_start: datetime) -> dict[str, Any]:
    """Per queue: waiting items by channel, longest wait, today's service level, answered
    and abandoned calls, the head of the line; and every agent's state and load."""
    async with transaction(pool) as conn:
        queues = {q.name: q for q in await queue_store.list_queues(conn)}
        counts = await board_store.waiting_counts(conn)
        items = await board_store.waiting_items(conn, per_queue=ITEMS_PER_QUEUE)
        today = await board_store.calls_today(conn, day_start=day_start)
        agents = await store.list_agents(conn, today=day_start.date())
    rows: list[dict[str, Any]] = []
    for name, queue in queues.items():
        waiting = {c["channel"] or "other": c["n"] for c in counts if c["queue"] == name}
        oldest = [c["oldest"] for c in counts if c["queue"] == name]
        calls = today.get(name, {"answered": 0, "within": 0, "abandoned": 0})
        offered = calls["answered"] + calls["abandoned"]
        rows.append(
            {
                "name": name,
                "label": queue.label,
                "waiting": waiting,
                "longest_wait_seconds": int((now - min(oldest)).total_seconds()) if oldest else 0,
                "service_level_today": calls["within"] / offered if offered else None,
                "answered_today": calls["answered"],
                "abandoned_today": calls["abandoned"],
                "items": [
                    {
                        "id": i["id"],
                        "kind": i["kind"],
                        "channel": i["channel"],
                        "customer_name": str(i["summary"].get("customer_name", "")),
                        "waited_seconds": max(0, int((now - i["enqueued_at"]).total_seconds())),
                        "state": i["state"],
                        "offered_to": i["offered_to"],
                    }
                    for i in items
                    if i["queue"] == name
                ],
            }
        )
    return {
        "queues": rows,
        "agents": [
            {
                "user_id": a.user_id,
                "name": a.name,
                "presence": a.presence,
                "reason": a.reason,
                "since": a.since,
                "load": {"voice": a.voice_load, "messaging": a.messaging_load},
                "capacity": {"voice": a.voice_capacity, "messaging": a.messaging_capacity},
            }
            for a in agents
        ],
    }


async def queue_position(conn: Conn, *, call_id: UUID, now: datetime) -> tuple[int, int] | None:
    """(place in line counting from 1, estimated wait in seconds) for a waiting call, or None
    when the call is not waiting. The estimate is the place times the last hour's pace of
    answers in that queue, or a fixed pace when nothing was answered."""
    found = await board_store.position_of_call(conn, call_id, now=now)
    if found is None:
        return None
    position = int(found["position"])
    answered = int(found["answered_last_hour"])
    per_place = 3600 / answered if answered else SECONDS_PER_PLACE
    return position, math.ceil(position * per_place)

"""Demo visits: the managers' start points, morning windows for some key accounts, two weeks
of visit history (done with notes and scores, one missed, a few left without an outcome) and
the plan ahead."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from contact_center import visits
from contact_center.audit import Actor
from contact_center.customers import Organization
from contact_center.db import Pool
from contact_center.users import User

DEMO = Actor.system("demo")
CENTRE = (40.7, -74.0)  # the demo organizations lie around here
NOTES = [
    ("Went through the spring price list; they want samples.", "Send samples", 4),
    ("Delivery delays discussed; agreed a new drop-off time.", "Confirm the slot by email", 3),
    ("Introduced the new range to the buyer.", "Quote for 200 units", 5),
]


async def load_demo_visits(
    pool: Pool, managers: list[User], key_accounts: list[Organization], *, now: datetime
) -> None:
    rng = random.Random(11)
    for n, manager in enumerate(managers):
        await visits.feed_token(pool, DEMO, manager.id, rotate=False, now=now)
        await visits.save_profile(
            pool,
            DEMO,
            manager.id,
            {
                "start_latitude": CENTRE[0] + n / 100,
                "start_longitude": CENTRE[1] - n / 100,
                "hours": ["08:30", "18:00"],
                "weekdays": [1, 2, 3, 4, 5],
                "capacity": 6,
            },
            now=now,
        )
    for n, org in enumerate(key_accounts):
        if n % 2 == 0:
            await visits.set_account_visit(
                pool,
                DEMO,
                org.id,
                window=(time(9), time(12)),
                visit_minutes=60,
                now=now,
            )
    # Two weeks ago the plan was made; the visits since were made, missed or not yet recorded.
    before = now - timedelta(days=14)
    await visits.plan_visits(pool, now=before)
    today = now.date()
    past = await visits.list_visits(
        pool, manager_id=None, first=before.date(), last=today - timedelta(days=1), now=now
    )
    for n, visit in enumerate(past):
        actor = Actor(label="demo", user_id=visit.manager_id)
        if n % 5 == 3:
            await visits.record_outcome(
                pool,
                actor,
                visit.id,
                state=visits.VisitState.MISSED,
                notes="The buyer was away.",
                next_steps="",
                satisfaction=None,
                version=visit.version,
                overseer=True,
                now=now,
            )
        elif n % 5 != 4 or visit.day < today - timedelta(days=3):
            notes, steps, score = NOTES[rng.randrange(len(NOTES))]
            await visits.record_outcome(
                pool,
                actor,
                visit.id,
                state=visits.VisitState.DONE,
                notes=notes,
                next_steps=steps,
                satisfaction=score,
                version=visit.version,
                overseer=True,
                now=now,
            )
    await visits.plan_visits(pool, now=now)
    if managers:  # a day off next week, for the calendar's shading
        await visits.add_leave(
            pool, DEMO, managers[-1].id, _next_weekday(today, 5), "Training day", now=now
        )
        await visits.plan_visits(pool, manager_ids=[managers[-1].id], now=now)


def _next_weekday(today: date, weekday: int) -> date:
    days = (weekday - today.isoweekday()) % 7 or 7
    return today + timedelta(days=days + 7)

"""The visits pages' frame as the server renders it: who sees them, the days of a week and a
month (Monday first, the site's closures shaded and labelled, today marked), the manager
picker for supervisors only, the day route page; the visits themselves come from the API."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import site
from contact_center.timeutil import to_site_time, utc_now
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_organization, make_user
from tests.conftest import SingleConnectionPool
from tests.web.test_console_pages import HTML, sign_in

Client = TestClient[Any, Any]


def _days(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<section class="vday[^"]*" data-date="([^"]+)" data-kind="([^"]+)"', page)


def _data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="visits-data">(.*?)</script>', page)
    assert found
    return json.loads(found.group(1))  # type: ignore[no-any-return]


async def _page(client: Client, session: str, url: str) -> tuple[int, str]:
    response = await client.get(url, headers={"Cookie": session, **HTML}, allow_redirects=False)
    return response.status, await response.text()


async def test_a_manager_sees_their_week_monday_first_with_closures_shaded(
    client: Client, db: SingleConnectionPool
) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    async with db.acquire() as conn:
        settings = await site.load(conn)
    closures = [{"date": "2027-03-10", "label": "Stocktaking"}]
    await site.update_setting(
        db,
        TEST_ACTOR,
        "closures",
        closures,
        version=settings.versions.get("closures", 0),
        now=utc_now(),
    )
    session, _csrf = await sign_in(client, manager.email)
    status, page = await _page(client, session, "/visits?day=2027-03-11")
    assert status == 200
    days = _days(page)
    assert [d for d, _k in days] == [f"2027-03-{n:02d}" for n in range(8, 15)]
    assert dict(days)["2027-03-10"] == "closure" and "Stocktaking" in page
    assert dict(days)["2027-03-13"] == "closed"  # a Saturday without business hours
    data = _data(page)
    assert data["manager_id"] == str(manager.id) and not data["overseer"]
    assert (data["from"], data["to"]) == ("2027-03-08", "2027-03-14")
    assert 'id="visits-manager"' not in page  # a manager sees only their own visits
    assert 'href="/visits"' in page  # the nav link


async def test_today_is_marked_and_the_month_view_covers_whole_weeks(
    client: Client, db: SingleConnectionPool
) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    session, _csrf = await sign_in(client, manager.email)
    status, page = await _page(client, session, "/visits")
    assert status == 200
    async with db.acquire() as conn:
        zone = (await site.load(conn)).timezone
    today = to_site_time(utc_now(), zone).date()
    assert re.search(rf'vday-today" data-date="{today.isoformat()}"', page)
    status, month = await _page(client, session, "/visits?view=month&day=2028-02-15")
    assert status == 200
    days = [date.fromisoformat(d) for d, _k in _days(month)]
    # February 2028 (a leap year) starts on a Tuesday and ends on Tuesday the 29th.
    assert days[0] == date(2028, 1, 31) and days[-1] == date(2028, 3, 5)
    assert len(days) % 7 == 0 and date(2028, 2, 29) in days
    assert all(b - a == timedelta(days=1) for a, b in pairwise(days))


async def test_supervisors_pick_a_manager_and_agents_are_refused(
    client: Client, db: SingleConnectionPool
) -> None:
    first = await make_user(db, Role.ACCOUNT_MANAGER)
    second = await make_user(db, Role.ACCOUNT_MANAGER)
    supervisor = await make_user(db, Role.SUPERVISOR)
    session, _csrf = await sign_in(client, supervisor.email)
    status, page = await _page(client, session, f"/visits?manager={second.id}&day=2027-05-05")
    assert status == 200
    assert _data(page)["manager_id"] == str(second.id) and _data(page)["overseer"]
    assert f'<option value="{first.id}"' in page and 'id="team-missed"' in page
    # The planner plans whoever owns accounts: the picker lists them too, not ex-managers.
    owner = await make_user(db, Role.SUPERVISOR)
    await make_organization(db, "Owned Ltd", account_manager_id=str(owner.id))
    gone = await make_user(db, Role.ACCOUNT_MANAGER)
    async with db.acquire() as conn:
        await conn.execute("UPDATE users SET active = false WHERE id = $1", gone.id)
    status, page = await _page(client, session, "/visits")
    assert f'<option value="{owner.id}"' in page and f'<option value="{gone.id}"' not in page
    status, _page_text = await _page(client, session, "/visits?manager=not-an-id")
    assert status == 404
    status, _page_text = await _page(client, session, "/visits?day=2027-02-30")
    assert status == 422
    status, route = await _page(client, session, f"/visits/day?manager={first.id}&day=2027-05-05")
    assert status == 200 and "2027-05-05" in route
    agent = await make_user(db, Role.AGENT)
    agent_session, _csrf = await sign_in(client, agent.email)
    status, _refused = await _page(client, agent_session, "/visits")
    assert status == 403
    status, _refused = await _page(client, agent_session, "/visits/day")
    assert status == 403

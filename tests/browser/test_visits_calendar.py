"""The visits calendar in a real browser: an account manager sees their week (leave marked),
drags a visit to another day, is refused a day they are on leave (the card goes back and the
day says why), and records the outcome of today's visit; the day's route lists the stops."""

from __future__ import annotations

import re
import secrets
from datetime import date, timedelta
from typing import Any

import asyncpg
import pytest_asyncio
from playwright.async_api import Locator, Page, expect

from contact_center import site, users, visits, worktime
from contact_center.timeutil import to_site_time, utc_now
from contact_center.users import Role
from contact_center.visits import VisitState, visit_store
from tests.browser.browsing import (
    StaffUser,
    assert_accessible,
    assert_no_page_problems,
    fetch,
    sign_in,
)
from tests.builders import (
    PASSWORD,
    TEST_ACTOR,
    TEST_PASSWORDS,
    make_customer,
    make_organization,
)

REFUSED = "Failed to load resource: the server responded with a status of 422"


@pytest_asyncio.fixture(scope="module")
async def plan(pool: asyncpg.Pool[Any]) -> dict[str, Any]:
    """A manager (starting from an office) with four key accounts; a visit on Tuesday and two
    on Wednesday of a week ahead, one today; leave on that week's Friday."""
    email = f"manager.{secrets.token_hex(3)}@example.com"
    user = await users.create_user(
        pool,
        TEST_ACTOR,
        email=email,
        role=Role.ACCOUNT_MANAGER,
        password=PASSWORD,
        name="Lena Okafor",
        passwords=TEST_PASSWORDS,
    )
    manager = StaffUser("manager", email, PASSWORD, "account_manager", "Lena Okafor", str(user.id))
    names = ["Harbor Tools Ltd", "青山贸易 Qingshan Trading", "Riverside Bakery", "Old Mill Café"]
    orgs = [
        await make_organization(
            pool,
            name,
            tier="A",
            is_key_account=True,
            account_manager_id=str(user.id),
            latitude=31.23 + n / 50,
            longitude=121.47 + n / 40,
            address=f"{n + 1} Harbour Road",
        )
        for n, name in enumerate(names)
    ]
    async with pool.acquire() as conn:
        settings = await site.load(conn)
    today = to_site_time(utc_now(), settings.timezone).date()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=14)
    calendar = site.calendar_of(settings, around=utc_now())
    while any(d.kind != "open" for d in worktime.calendar_days(calendar, monday, 5)):
        monday += timedelta(days=7)  # a week without a holiday, whatever the date of the run
    tuesday, wednesday = monday + timedelta(days=1), monday + timedelta(days=2)
    friday = monday + timedelta(days=4)
    async with pool.acquire() as conn:
        made = await visit_store.insert_many(
            conn,
            [
                (orgs[0].id, user.id, tuesday, "cadence", None),
                (orgs[1].id, user.id, wednesday, "cadence", None),
                (orgs[2].id, user.id, today, "cadence", None),
                (orgs[3].id, user.id, wednesday, "cadence", None),
            ],
            utc_now(),
        )
        # Placed by hand (pinned), as a manager would: the service's planner, which runs while
        # the test does, keeps them on their days instead of balancing the week.
        for visit_id, _manager, day in made:
            await visit_store.move(conn, visit_id, day, utc_now())
    # Today may be a weekend: confirmed, the planner keeps the visit where it is.
    today_visit = await visits.get_visit(pool, made[2][0], now=utc_now())
    await visits.record_outcome(
        pool,
        TEST_ACTOR,
        today_visit.id,
        state=VisitState.CONFIRMED,
        notes="",
        next_steps="",
        satisfaction=None,
        version=today_visit.version,
        overseer=True,
        now=utc_now(),
    )
    await visits.add_leave(pool, TEST_ACTOR, user.id, friday, "Training", now=utc_now())
    start = {"start_latitude": 31.2, "start_longitude": 121.44, "weekdays": [1, 2, 3, 4, 5]}
    await visits.save_profile(pool, TEST_ACTOR, user.id, start, now=utc_now())
    return {
        "manager": manager,
        "visits": [row[0] for row in made],
        "today": today,
        "monday": monday,
        "friday": friday,
        "orgs": [o.id for o in orgs],
    }


async def _request_notes(pool: Any, organization_id: Any) -> list[str]:
    async with pool.acquire() as conn:
        rows = await conn.fetch(
            "SELECT note FROM visit_requests WHERE organization_id = $1", organization_id
        )
    return [r["note"] for r in rows]


async def test_a_manager_moves_a_visit_is_refused_a_leave_day_and_records_an_outcome(
    new_page: Any, plan: dict[str, Any], shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    page: Page = await new_page(viewport={"width": 1400, "height": 1000})
    await sign_in(page, plan["manager"])
    await page.goto("/")
    await page.get_by_role("link", name="Visits", exact=True).click()
    await page.wait_for_url("**/visits")
    monday: date = plan["monday"]
    await page.goto(f"/visits?day={monday.isoformat()}")
    grid = page.locator("#visits-grid")

    def day(d: date) -> Locator:
        return grid.locator(f'.vday[data-date="{d.isoformat()}"]')

    tuesday, thursday, friday = (monday + timedelta(days=n) for n in (1, 3, 4))
    harbor = day(tuesday).locator(".vcard").filter(has_text="Harbor Tools Ltd")
    await expect(harbor).to_be_visible()
    # The service's planner may add regular visits of its own: look for ours by name.
    wednesday = day(monday + timedelta(days=2)).locator(".vcard")
    await expect(wednesday.filter(has_text="Qingshan Trading")).to_be_visible()
    await expect(wednesday.filter(has_text="Old Mill Café")).to_be_visible()
    await expect(day(friday).locator(".vday-leave")).to_be_visible()
    await assert_accessible(page)
    await shot(page, "week")

    # The feed address (public, secret) and the .ics download of the shown week.
    await expect(page.locator("#feed-url")).to_have_value(re.compile(r"/calendar/.+\.ics$"))
    feed = await fetch(page, "GET", await page.locator("#feed-url").input_value())
    assert feed["status"] == 200 and "Harbor Tools Ltd" in feed["text"]
    href = await page.locator("#ics-export").get_attribute("href")
    assert href
    export = await fetch(page, "GET", href)
    assert export["text"].startswith("BEGIN:VCALENDAR") and "Qingshan" in export["text"]

    # A leave day is refused: the card goes back to Tuesday and Friday says why.
    await harbor.drag_to(day(friday))
    await expect(day(friday).locator(".vday-note")).to_contain_text("on leave")
    await expect(day(tuesday).locator(".vcard").filter(has_text="Harbor Tools Ltd")).to_be_visible()
    await expect(day(friday).locator(".vcard")).to_have_count(0)
    await shot(page, "refused")

    # Thursday is free: the visit moves and stays there after a reload (pinned by the server).
    await day(tuesday).locator(".vcard").filter(has_text="Harbor Tools Ltd").drag_to(day(thursday))
    await expect(page.locator("#visits-status")).to_contain_text("Moved Harbor Tools Ltd")
    await expect(day(friday).locator(".vday-note")).to_be_hidden()  # the refusal is over
    await page.reload()
    moved = day(thursday).locator(".vcard").filter(has_text="Harbor Tools Ltd")
    await expect(moved).to_be_visible()
    visit = await visits.get_visit(pool, plan["visits"][0], now=utc_now())
    assert visit.day == thursday and visit.pinned

    # "Move to…" is the keyboard's way: a past day is refused in the panel.
    await moved.locator(".vcard-open").click()
    panel = page.get_by_role("dialog")
    await expect(panel).to_contain_text("1 Harbour Road")
    # A visit still ahead can be confirmed or cancelled, not recorded done or missed yet.
    assert thursday > plan["today"]
    await expect(panel.get_by_label("Missed")).to_be_hidden()
    await expect(panel.get_by_label("Done")).to_be_hidden()
    await expect(panel.get_by_label("Confirmed")).to_be_checked()
    await panel.get_by_label("Move to…").fill((plan["today"] - timedelta(days=1)).isoformat())
    await panel.get_by_role("button", name="Move", exact=True).click()
    await expect(panel.get_by_role("alert")).to_contain_text("in the past")
    await panel.get_by_role("button", name="Close").click()

    # Today's visit: recorded as done with notes, next steps and satisfaction.
    await page.get_by_role("link", name="Today", exact=True).click()
    today_card = grid.locator(f'.vday[data-date="{plan["today"].isoformat()}"] .vcard')
    await today_card.filter(has_text="Riverside Bakery").locator(".vcard-open").click()
    await expect(panel).to_contain_text("Regular visit")
    await panel.get_by_label("Done").check()
    await panel.get_by_label("Outcome notes").fill("Went through the spring order; 面包机 fixed.")
    await panel.get_by_label("Next steps").fill("Send the new price list")
    await panel.get_by_label("Customer satisfaction").select_option("4")
    await shot(page, "outcome")
    await panel.get_by_role("button", name="Save outcome").click()
    await expect(panel).to_be_hidden()
    await expect(today_card.filter(has_text="Riverside Bakery")).to_contain_text("Done")
    # Reopened, a visit done offers only to complete its notes.
    await today_card.filter(has_text="Riverside Bakery").locator(".vcard-open").click()
    await expect(panel.get_by_label("Outcome notes")).to_have_value(re.compile("spring order"))
    await expect(panel.get_by_label("Missed")).to_be_hidden()
    await expect(panel.locator("#visit-move")).to_be_hidden()
    await panel.get_by_role("button", name="Close").click()
    recorded = await visits.get_visit(pool, plan["visits"][2], now=utc_now())
    assert recorded.state == "done" and recorded.satisfaction == 4
    assert recorded.next_steps == "Send the new price list"

    # Leave days: the planned week's Friday is listed; a day added and removed again.
    leave = page.locator("#leave-list")
    await expect(leave).to_contain_text(plan["friday"].isoformat())
    extra = (plan["today"] + timedelta(days=30)).isoformat()
    await page.get_by_label("Note", exact=True).fill("Dentist")
    await page.locator("#leave-day").fill(extra)
    await page.get_by_role("button", name="Add leave").click()
    await expect(leave).to_contain_text(f"{extra} · Dentist")
    await page.get_by_role("button", name=f"Remove the leave on {extra}").click()
    await expect(page.locator("#leave-status")).to_contain_text("removed")
    await expect(leave).not_to_contain_text(extra)
    assert_no_page_problems(page, allow=(REFUSED,))


async def test_the_day_route_lists_the_stops_in_order(
    new_page: Any, plan: dict[str, Any], shot: Any
) -> None:
    page = await new_page()
    await sign_in(page, plan["manager"])
    wednesday = plan["monday"] + timedelta(days=2)
    await page.goto(f"/visits/day?day={wednesday.isoformat()}")
    stops = page.locator("#route-stops > li:not(.route-leg)")
    link = page.get_by_role("link", name="青山贸易 Qingshan Trading")
    await expect(link).to_have_attribute("href", f"/organizations/{plan['orgs'][1]}")
    await expect(page.get_by_role("link", name="Old Mill Café")).to_be_visible()
    await expect(stops.first.locator(".route-leg")).to_contain_text("km")  # from the office
    route = await fetch(page, "GET", f"/api/v1/visits/route?day={wednesday.isoformat()}")
    names = [stop["account_name"] for stop in route["json"]["stops"]]
    await expect(stops).to_have_count(len(names))
    await expect(page.locator("#route-map circle")).to_have_count(len(names))
    for n, name in enumerate(names):  # the page lists them in the route's order
        await expect(stops.nth(n)).to_contain_text(name)
    assert route["json"]["distance_km"] > 0
    await expect(page.locator("#route-map svg")).to_be_visible()
    await assert_accessible(page)
    await shot(page, "route")
    assert_no_page_problems(page)


async def test_a_supervisor_sees_every_managers_day_and_an_agent_asks_for_a_visit(
    page_as: Any, plan: dict[str, Any], shot: Any, pool: asyncpg.Pool[Any]
) -> None:
    page = await page_as("supervisor", viewport={"width": 1300, "height": 1100})
    manager = plan["manager"]
    await page.goto(f"/visits?manager={manager.id}&view=month&day={plan['monday'].isoformat()}")
    await expect(page.locator("#visits-grid .vcard").first).to_be_visible()
    await expect(page.locator("#visits-manager")).to_have_value(manager.id)
    today = page.locator("#team-today tbody")
    await expect(today).to_contain_text("Riverside Bakery")
    await expect(today).to_contain_text("Lena Okafor")
    await expect(page.locator("#team-missed tbody tr").first).to_be_visible()
    await expect(page.locator("#team-overdue tbody tr").first).to_be_visible()
    await assert_accessible(page)
    await shot(page, "month")

    # A move made elsewhere shows up without a reload (visit.updated).
    harbor = await visits.get_visit(pool, plan["visits"][0], now=utc_now())
    back = plan["monday"] + timedelta(days=1)
    await visits.move_visit(
        pool, TEST_ACTOR, harbor.id, day=back, version=harbor.version, overseer=True, now=utc_now()
    )
    tuesday = page.locator(f'.vday[data-date="{back.isoformat()}"] .vcard')
    await expect(tuesday.filter(has_text="Harbor Tools Ltd")).to_be_visible()
    assert_no_page_problems(page)

    contact = await make_customer(pool, "Ada Brightwater", organization_id=str(plan["orgs"][1]))
    agent = await page_as("agent")
    await agent.goto(f"/customers/{contact.id}")
    section = agent.locator("#card-visits")
    # The next visit is the Wednesday one, or one the service's planner put before it.
    summary = await fetch(agent, "GET", f"/api/v1/accounts/{plan['orgs'][1]}/visits")
    next_visit = summary["json"]["next_visit"]
    assert next_visit <= (plan["monday"] + timedelta(days=2)).isoformat()
    await expect(section.locator("#card-visits-next")).to_have_text(next_visit)
    # Its first visit is still ahead: not overdue, and the badge stays hidden (a badge's own
    # display must not override `hidden`).
    assert summary["json"]["overdue"] is False
    await expect(section.locator("#card-visits-overdue")).to_be_hidden()
    await section.get_by_label("Why a visit is needed").fill("Wants to discuss the new contract")
    await section.get_by_role("button", name="Ask for a visit").click()
    await expect(section.get_by_role("status")).to_contain_text("Visit requested")
    assert await _request_notes(pool, plan["orgs"][1]) == ["Wants to discuss the new contract"]
    # Asking again adds to the open request, and says so.
    await section.get_by_label("Why a visit is needed").fill("Also wants a price list")
    await section.get_by_role("button", name="Ask for a visit").click()
    await expect(section.get_by_role("status")).to_contain_text("your note was added")
    assert await _request_notes(pool, plan["orgs"][1]) == [
        "Wants to discuss the new contract\nAlso wants a price list"
    ]
    await assert_accessible(agent)
    assert_no_page_problems(agent)

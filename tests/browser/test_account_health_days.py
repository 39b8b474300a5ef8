"""The card's lifecycle moves are dated by the site's day, not UTC's: a move at 20:00 UTC is
the next day in Shanghai."""

from __future__ import annotations

from typing import Any

import asyncpg
import pytest
from playwright.async_api import expect

from contact_center import customers
from tests.browser.browsing import assert_no_page_problems
from tests.builders import TEST_ACTOR


@pytest.fixture(scope="module")
def service_env() -> dict[str, str]:
    return {"SITE_TIMEZONE": "Asia/Shanghai"}


async def test_a_lifecycle_move_is_dated_by_the_sites_day(
    page_as: Any, pool: asyncpg.Pool[Any]
) -> None:
    org = await customers.create_organization(pool, TEST_ACTOR, {"name": "夜班物流"})
    async with pool.acquire() as conn:
        await conn.execute(
            "INSERT INTO lifecycle_changes (organization_id, from_stage, to_stage,"
            " last_activity_on, changed_at)"
            " VALUES ($1, 'customer', 'dormant', '2026-09-01', '2026-12-04T20:00:00Z')",
            org.id,
        )
    page = await page_as("supervisor")
    await page.goto(f"/organizations/{org.id}")
    moves = page.locator("#account-health ul")
    await expect(moves).to_contain_text("on 2026-12-05")
    assert_no_page_problems(page)

"""Site settings: code defaults under stored values, saves guarded by their version, audited
and announced, the time zone from the environment, and the calendar they make."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import pytest
from aiohttp.test_utils import TestClient

from contact_center import audit, site
from contact_center.config import Settings
from contact_center.errors import Conflict, Forbidden, Invalid
from contact_center.site import rules
from contact_center.users import Role
from tests.builders import TEST_ACTOR, make_user, token_for
from tests.conftest import SingleConnectionPool

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Client = TestClient[Any, Any]


async def settings_of(db: SingleConnectionPool) -> site.SiteSettings:
    async with db.acquire() as conn:
        return await site.load(conn)


async def test_unsaved_settings_have_their_code_defaults_at_version_zero(
    db: SingleConnectionPool,
) -> None:
    settings = await settings_of(db)
    assert settings.holiday_country == "CN" and settings.at_risk_complaints == 3
    assert settings.business_hours["mon"] == [["09:00", "18:00"]]
    assert "sat" not in settings.business_hours
    assert settings.clock_targets["first_response"]["urgent"] == "30m"
    assert settings.versions["closures"] == 0
    assert settings.versions["timezone"] == 1  # recorded from SITE_TIMEZONE at start


async def test_a_save_with_the_version_read_stores_audits_and_announces_it(
    db: SingleConnectionPool,
) -> None:
    closures = [{"date": "2026-12-24", "label": " Christmas Eve "}]
    saved = await site.update_setting(db, TEST_ACTOR, "closures", closures, version=0, now=NOW)
    assert saved.closures == {date(2026, 12, 24): "Christmas Eve"}
    assert saved.versions["closures"] == 1
    again = [*closures, {"date": "2026-12-31", "label": "New Year's Eve"}]
    saved = await site.update_setting(db, TEST_ACTOR, "closures", again, version=1, now=NOW)
    assert saved.versions["closures"] == 2
    async with db.acquire() as conn:
        history = await site.setting_history(conn, "closures")
        trail = await audit.list_entries(conn, "site_setting", ["closures"])
        events = await conn.fetch("SELECT payload FROM events WHERE name = 'settings.updated'")
    assert [v.version for v in history] == [2, 1]
    assert [e.after["version"] for e in trail if e.after] == [1, 2]
    assert {"key": "closures", "version": 2} in [dict(e["payload"]) for e in events]


async def test_a_stale_version_is_a_conflict(db: SingleConnectionPool) -> None:
    value = {"complaints": 2, "days": 30}
    await site.update_setting(db, TEST_ACTOR, "at_risk", value, version=0, now=NOW)
    with pytest.raises(Conflict) as refused:
        await site.update_setting(db, TEST_ACTOR, "at_risk", value, version=0, now=NOW)
    assert "reload" in refused.value.message


async def test_the_time_zone_is_the_deployments(db: SingleConnectionPool) -> None:
    with pytest.raises(Forbidden):
        await site.update_setting(db, TEST_ACTOR, "timezone", "Asia/Shanghai", version=1, now=NOW)


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        (
            "clock_targets",
            {"first_response": {"urgent": "2w"}},
            "clock_targets.first_response.urgent",
        ),
        ("clock_targets", {"first_reply": {}}, "clock_targets.first_reply"),
        ("closures", [{"date": "2026-13-01", "label": "x"}], "closures.0.date"),
        ("closures", [{"date": "2026-12-01", "label": ""}], "closures.0.label"),
        ("working_days", [{"date": "2026-02-14", "label": "a"}] * 2, "working_days.1.date"),
        ("holidays", {"country": "XX"}, "holidays.country"),
        ("holidays", {"country": "US", "subdivision": "ZZ"}, "holidays.subdivision"),
        ("business_hours", {"mon": [["18:00", "09:00"]]}, "business_hours"),
        ("at_risk", {"complaints": 0, "days": 90}, "at_risk.complaints"),
        ("classifier", {"threshold": 2, "phrases": []}, "classifier.threshold"),
    ],
)
def test_bad_values_are_refused_naming_the_field(key: str, value: Any, field: str) -> None:
    with pytest.raises(Invalid) as refused:
        rules.check(key, value)
    assert refused.value.field == field
    assert field.split(".")[0] in refused.value.message


async def test_the_environment_is_recorded_once_per_change(
    db: SingleConnectionPool, settings: Settings
) -> None:
    await site.record_environment(db, settings)
    assert (await settings_of(db)).versions["timezone"] == 1
    moved = dataclasses.replace(settings, site_timezone="Asia/Shanghai")
    await site.record_environment(db, moved, now=NOW)
    loaded = await settings_of(db)
    assert loaded.timezone == "Asia/Shanghai" and loaded.versions["timezone"] == 2


async def test_the_business_calendar_has_holidays_closures_and_make_up_days(
    db: SingleConnectionPool,
) -> None:
    closures = [{"date": "2026-03-16", "label": "Stocktaking"}]
    await site.update_setting(db, TEST_ACTOR, "closures", closures, version=0, now=NOW)
    async with db.acquire() as conn:
        calendar = await site.business_calendar(conn, around=NOW)
    assert date(2026, 2, 17) in calendar.holidays  # Spring Festival
    assert date(2026, 2, 14) in calendar.extra  # its make-up Saturday
    assert date(2027, 1, 1) in calendar.closed  # next year's too
    assert calendar.labels[date(2026, 3, 16)] == "Stocktaking"


async def test_staff_read_supervisors_save_and_a_stale_save_is_409(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    boss = await token_for(db, await make_user(db, Role.SUPERVISOR))
    listed = await client.get("/api/v1/site-settings", headers=agent)
    assert listed.status == 200
    by_key = {s["key"]: s for s in (await listed.json())["settings"]}
    assert by_key["timezone"]["editable"] is False
    body = {"value": {"complaints": 5, "days": 60}, "version": by_key["at_risk"]["version"]}
    path = "/api/v1/site-settings/at_risk"
    assert (await client.put(path, json=body, headers=agent)).status == 403
    saved = await client.put(path, json=body, headers=boss)
    assert saved.status == 200 and (await saved.json())["version"] == body["version"] + 1
    stale = await client.put(path, json=body, headers=boss)
    assert stale.status == 409 and (await stale.json())["error"]["field"] == "version"
    bad = await client.put(
        path, json={"value": {"complaints": 0, "days": 1}, "version": 9}, headers=boss
    )
    assert bad.status == 409 and (await bad.json())["error"]["field"] == "at_risk.complaints"
    history = await client.get(f"{path}/history", headers=agent)
    assert next(v["version"] for v in (await history.json())["versions"]) == body["version"] + 1


async def test_the_calendar_lists_each_day_with_its_kind_and_label(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await token_for(db, await make_user(db, Role.AGENT))
    answer = await client.get("/api/v1/calendar?from=2026-02-13&days=3", headers=agent)
    assert answer.status == 200
    days = (await answer.json())["days"]
    assert [(d["date"], d["kind"]) for d in days] == [
        ("2026-02-13", "open"),
        ("2026-02-14", "working_day"),
        ("2026-02-15", "closed"),
    ]
    assert days[0]["spans"] == [["09:00", "18:00"]]
    bad = await client.get("/api/v1/calendar?from=2026-02-30", headers=agent)
    assert bad.status == 422


@pytest.mark.commits
async def test_processes_starting_together_record_the_zone_once(
    pool: asyncpg.Pool[Any], settings: Settings
) -> None:
    moved = dataclasses.replace(settings, site_timezone="Europe/Berlin")
    async with pool.acquire() as conn:
        before = (await site.load(conn)).versions["timezone"]
    await asyncio.gather(*(site.record_environment(pool, moved) for _ in range(4)))
    async with pool.acquire() as conn:
        after = await site.load(conn)
    assert after.timezone == "Europe/Berlin" and after.versions["timezone"] == before + 1
    await site.record_environment(pool, settings)  # back to the suite's zone

"""Site settings: read (code defaults under stored values), saved one key at a time with an
optimistic version, audited and announced; and the business calendar built from them."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from contact_center import audit, jobs, live
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Forbidden
from contact_center.i18n import gettext as _
from contact_center.jobs.model import CLOCK_RETIME_TASK
from contact_center.live import Event
from contact_center.site import rules, store
from contact_center.site.model import SettingKey, SiteSettings
from contact_center.site.store import SettingVersion
from contact_center.timeutil import utc_now
from contact_center.worktime import BusinessCalendar, build_calendar

ENVIRONMENT = Actor.system("environment")
# What the business calendar is built from: saving one re-times the running clocks.
CALENDAR_KEYS = frozenset(
    {
        SettingKey.TIMEZONE,
        SettingKey.BUSINESS_HOURS,
        SettingKey.HOLIDAYS,
        SettingKey.CLOSURES,
        SettingKey.WORKING_DAYS,
    }
)
AUDIT_ENTITY = "site_setting"


async def load(conn: Conn) -> SiteSettings:
    """Every site setting: the code defaults, then the stored values, with their versions."""
    stored = await store.read_all(conn)
    return rules.settings_from(
        {row.key: row.value for row in stored}, {row.key: row.version for row in stored}
    )


async def update_setting(
    pool: Pool, actor: Actor, key: str, value: Any, *, version: int, now: datetime
) -> SiteSettings:
    """Store a new value of `key` if `version` is the one the editor saw (0: never saved);
    Conflict when someone saved in between, Invalid naming the wrong field, Forbidden for the
    time zone (a deployment setting). Audited as `site_setting`, announced as
    `settings.updated`. Returns the settings after the change."""
    setting = rules.setting_key(key)
    if setting in rules.READ_ONLY:
        raise Forbidden(
            _("{key} is set by the deployment (SITE_TIMEZONE), not here").format(key=key)
        )
    checked = rules.check(setting, value)
    async with transaction(pool) as conn:
        return await _save(conn, actor, setting, checked, version=version, now=now)


async def _save(
    conn: Conn, actor: Actor, key: SettingKey, value: Any, *, version: int, now: datetime
) -> SiteSettings:
    current = await store.lock_setting(conn, key)
    seen = current.version if current is not None else 0
    if version != seen:
        raise Conflict(
            _(
                "{key} was changed by someone else (version {seen}, you had {version}); "
                "reload and save again"
            ).format(key=key, seen=seen, version=version),
            field="version",
        )
    before = current.value if current is not None else rules.DEFAULTS[key]
    saved = await store.save_setting(conn, key, value, version=seen + 1, at=now, by=actor.user_id)
    if not saved:
        raise Conflict(_("{key} was changed by someone else; reload").format(key=key))
    await audit.record_change(
        conn,
        actor,
        AUDIT_ENTITY,
        key.value,
        "update",
        before={"value": before, "version": seen},
        after={"value": value, "version": seen + 1},
        at=now,
    )
    await live.publish(conn, Event.SETTINGS_UPDATED, {"key": key.value, "version": seen + 1})
    if key in CALENDAR_KEYS and not (key is SettingKey.TIMEZONE and seen == 0):
        # Running business clocks are due on the old calendar (a closure saved today must not
        # breach today). There may be many (each needs calendar arithmetic), so a job re-times
        # them in batches; it commits or rolls back with this save.
        await jobs.enqueue_job(conn, CLOCK_RETIME_TASK, retime_payload(key, before, now))
    return await load(conn)


def retime_payload(key: SettingKey, before: Any, at: datetime) -> str:
    """The clock re-time job's payload: which setting changed, from what, when."""
    return json.dumps({"key": key.value, "before": before, "at": at.isoformat()})


async def calendar_before(
    conn: Conn, key: SettingKey, before: Any, *, around: datetime
) -> BusinessCalendar:
    """The business calendar as it was with `key` still at `before` (the other settings as
    they are now)."""
    stored = {row.key: row.value for row in await store.read_all(conn)}
    settings = rules.settings_from({**stored, key: before}, {})
    return calendar_of(settings, around=around)


async def setting_history(conn: Conn, key: str, *, limit: int = 50) -> list[SettingVersion]:
    """The saved versions of one setting, newest first (Invalid for an unknown key)."""
    return await store.read_history(conn, rules.setting_key(key), limit=limit)


async def record_environment(
    pool: Pool, settings: Settings, *, now: datetime | None = None
) -> None:
    """Copy the deployment's SITE_TIMEZONE into the `timezone` setting, so the settings read
    from the database tell the zone too. Run at every start; a new version only on a change.
    Processes starting together may race to store it: the loser reads the winner's row."""
    zone = rules.check_timezone(settings.site_timezone)
    for _attempt in range(3):
        try:
            async with transaction(pool) as conn:
                current = await store.lock_setting(conn, SettingKey.TIMEZONE)
                if current is not None and current.value == zone:
                    return
                version = current.version if current is not None else 0
                await _save(
                    conn,
                    ENVIRONMENT,
                    SettingKey.TIMEZONE,
                    zone,
                    version=version,
                    now=now or utc_now(),
                )
                return
        except Conflict:
            continue


def calendar_of(settings: SiteSettings, *, around: datetime, years: int = 1) -> BusinessCalendar:
    """The business calendar of `settings` with public holidays of the years from `years`
    before to `years` after the site-local year of `around` (a deadline may run past New
    Year; a clock started last year is still measured)."""
    year = around.astimezone(ZoneInfo(settings.timezone)).year
    return build_calendar(
        timezone=settings.timezone,
        hours=settings.business_hours,
        country=settings.holiday_country,
        subdivision=settings.holiday_subdivision,
        closures=settings.closures,
        working_days=settings.working_days,
        years=range(year - years, year + years + 1),
    )


async def business_calendar(conn: Conn, *, around: datetime) -> BusinessCalendar:
    """The site's business calendar for deadlines near `around` (public holidays of the year
    before, of, and after it)."""
    return calendar_of(await load(conn), around=around)

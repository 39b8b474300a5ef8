"""The one home of time: aware UTC now, and conversion to the site's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_site_time(moment: datetime, site_timezone: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every timestamp must be timezone-aware")
    return moment.astimezone(ZoneInfo(site_timezone))


def site_time_text(moment: datetime, site_timezone: str) -> str:
    """`moment` as people at the site read it, with the zone named: "2026-12-16 18:00
    Asia/Shanghai" (notes on tickets; a bare clock time would be read as local)."""
    return f"{to_site_time(moment, site_timezone):%Y-%m-%d %H:%M} {site_timezone}"

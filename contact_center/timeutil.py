"""The one home of time: aware UTC now, and conversion to the site's time zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_site_time(moment: datetime, site_timezone: str) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: every timestamp must be timezone-aware")
    return moment.astimezone(ZoneInfo(site_timezone))

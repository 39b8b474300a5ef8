"""The demo's "birthday today" customers are born on the site's day, whatever the date."""

from __future__ import annotations

from datetime import UTC, date, datetime

from contact_center.care import occasions
from contact_center.demo_care import born_today, site_day


def test_the_demo_birthdays_fall_on_the_site_day_near_midnight() -> None:
    # 17:30 UTC on May 31 is already June 1 in Shanghai: the greetings job greets June 1.
    late = datetime(2027, 5, 31, 17, 30, tzinfo=UTC)
    assert site_day(late, "Asia/Shanghai") == date(2027, 6, 1)
    assert site_day(late, "America/New_York") == date(2027, 5, 31)


def test_the_demo_birthdays_are_greeted_on_every_day_of_the_month() -> None:
    for today in (date(2027, 1, 29), date(2027, 1, 31), date(2028, 2, 29), date(2027, 2, 28)):
        for year in (1960, 1968):
            born = born_today(today, year)
            assert (born.month, born.day) in occasions.birthdays_on(today)
    assert born_today(date(2028, 2, 29), 1960) == date(1960, 2, 29)

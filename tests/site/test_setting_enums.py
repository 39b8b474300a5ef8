"""The clock targets' priorities and clock kinds are the StrEnums', and their labels the
console's and the clocks' own tables: one spelling each."""

from __future__ import annotations

from contact_center import site
from contact_center.i18n import using
from contact_center.routing.model import Priority
from contact_center.web.console import admin_calendar, labels
from contact_center.workflows import ClockKind, clock_label


def test_target_priorities_and_kinds_follow_the_enums() -> None:
    assert site.PRIORITIES == ("urgent", "high", "normal", "low")
    assert set(site.PRIORITIES) == {p.value for p in Priority}
    assert set(site.CLOCK_KINDS) == {k.value for k in ClockKind} - {ClockKind.STEP.value}
    assert admin_calendar.PRIORITIES is site.PRIORITIES
    assert admin_calendar.TARGET_KINDS is site.CLOCK_KINDS


def test_the_calendar_page_uses_the_shared_label_tables() -> None:
    assert admin_calendar.PRIORITY_LABELS is labels.PRIORITY_LABELS
    assert not hasattr(admin_calendar, "TARGET_LABELS")
    with using("zh_Hans"):
        assert clock_label(ClockKind.RESOLUTION, None) != "Resolution"

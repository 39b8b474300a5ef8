"""The IVR's pure decisions: menu choices, prompts in the caller's language, callback times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from contact_center.calls import ivr
from contact_center.calls.model import Choice

WEEKDAYS = {day: [["08:00", "18:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}


def test_digits_choose_from_the_menu() -> None:
    assert ivr.menu_choice("1", "") is Choice.COMPLAINT
    assert ivr.menu_choice("2", "") is Choice.ORDERS
    assert ivr.menu_choice("3", "") is Choice.OTHER
    assert ivr.menu_choice("0", "") is Choice.OPERATOR
    assert ivr.menu_choice("7", "") is None


def test_spoken_answers_in_english_and_chinese_choose_too() -> None:
    assert ivr.menu_choice("", "I want to make a complaint") is Choice.COMPLAINT
    assert ivr.menu_choice("", "我要投诉") is Choice.COMPLAINT
    assert ivr.menu_choice("", "订单") is Choice.ORDERS
    assert ivr.menu_choice("", "转人工") is Choice.OPERATOR


def test_no_valid_answer_repeats_once_then_goes_to_the_default_queue() -> None:
    assert ivr.after_menu("", "", attempt=1) is None
    assert ivr.after_menu("9", "", attempt=1) is None
    assert ivr.after_menu("", "", attempt=2) is Choice.DEFAULT
    assert ivr.after_menu("1", "", attempt=2) is Choice.COMPLAINT


def test_prompts_follow_the_callers_language_and_the_sites_own_texts_win() -> None:
    english = ivr.text("greeting_known", "en", {}, name="Ada")
    assert "Ada" in english
    chinese = ivr.text("menu", "zh_Hans", {})
    assert chinese != ivr.text("menu", "en", {})
    assert "1" in chinese
    site = {"menu": {"en": "Press 1 to complain."}}
    assert ivr.text("menu", "en", site) == "Press 1 to complain."
    assert ivr.text("menu", "zh_Hans", site) == chinese


def test_a_callers_language_falls_back_to_english() -> None:
    assert ivr.language_of("zh-CN") == "zh_Hans"
    assert ivr.language_of("") == "en"
    assert ivr.language_of("fr") == "en"


def test_key_accounts_are_called_back_within_24_hours_of_wall_clock_time() -> None:
    friday_evening = datetime(2026, 12, 4, 19, 0, tzinfo=UTC)
    due = ivr.callback_due(
        key_account=True,
        now=friday_evening,
        hours=WEEKDAYS,
        timezone="UTC",
        key_account_hours=24,
        business_hours=4,
    )
    assert due == friday_evening + timedelta(hours=24)


def test_others_are_called_back_within_business_hours() -> None:
    friday_afternoon = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    due = ivr.callback_due(
        key_account=False,
        now=friday_afternoon,
        hours=WEEKDAYS,
        timezone="UTC",
        key_account_hours=24,
        business_hours=4,
    )
    # Two hours on Friday, two more from Monday's opening.
    assert due == datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_the_expected_wait_is_said_in_whole_minutes_at_least_one() -> None:
    assert ivr.wait_minutes(10) == 1
    assert ivr.wait_minutes(150) == 2

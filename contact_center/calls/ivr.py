"""The IVR's decisions: menu choices, opening hours, prompts and callback due times. Pure.

Prompts are in the gettext catalogs (English and Chinese); a site's own texts (VOICE_TEXTS)
win per name and language.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from contact_center import i18n
from contact_center.calls.model import Choice
from contact_center.i18n import N_
from contact_center.routing.hours import add_open_time
from contact_center.worktime import BusinessCalendar

MENU_ATTEMPTS = 2  # the menu is said once more after no or an invalid answer
DIGITS = {"1": Choice.COMPLAINT, "2": Choice.ORDERS, "3": Choice.OTHER, "0": Choice.OPERATOR}
# Spoken answers (Twilio speech recognition), English and Chinese.
WORDS: tuple[tuple[Choice, tuple[str, ...]], ...] = (
    (Choice.COMPLAINT, ("complain", "complaint", "投诉")),
    (Choice.ORDERS, ("order", "orders", "订单", "订购")),
    (Choice.OPERATOR, ("operator", "agent", "person", "人工", "客服")),
    (Choice.OTHER, ("other", "else", "其他", "其它")),
)
# The ticket kind each choice stands for: routing picks the queue that takes the kind.
KIND_OF = {
    Choice.COMPLAINT: "complaint",
    Choice.ORDERS: "order",
    Choice.OTHER: "other",
    Choice.OPERATOR: "other",
    Choice.DEFAULT: "other",
}

TEXTS: dict[str, str] = {
    "greeting": N_("Thank you for calling customer care."),
    "greeting_known": N_("Hello {name}, thank you for calling customer care."),
    "menu": N_(
        "For a complaint, press 1. For orders, press 2. For anything else, press 3. "
        "To speak to an operator, press 0."
    ),
    "invalid": N_("Sorry, I did not get that."),
    "queued": N_("Please hold, the next free agent will be with you."),
    "place_back": N_("Welcome back. You keep your place in the queue."),
    "position": N_(
        "You are number {position} in the queue. The expected wait is about {minutes} minutes."
    ),
    "position_one_minute": N_(
        "You are number {position} in the queue. The expected wait is about one minute."
    ),
    "closed": N_(
        "We are closed right now. Please leave a message after the tone, and we will call you back."
    ),
    "busy": N_(
        "All our agents are still busy. Please leave a message after the tone, and we will "
        "call you back."
    ),
    "voicemail_thanks": N_("Thank you, we have your message and will call you back. Goodbye."),
    "connecting": N_("Connecting you now."),
    "callback": N_("Hello, this is customer care returning your call."),
}


def menu_choice(digits: str, speech: str) -> Choice | None:
    """The caller's choice from a pressed digit or spoken words; None when neither says one."""
    digit = digits.strip()[:1]
    if digit in DIGITS:
        return DIGITS[digit]
    said = speech.strip().lower()
    for choice, words in WORDS:
        if any(word in said for word in words):
            return choice
    return None


def after_menu(digits: str, speech: str, attempt: int) -> Choice | None:
    """The choice to route by, or None to say the menu again: after MENU_ATTEMPTS tries
    without a valid answer the caller goes to the default queue."""
    choice = menu_choice(digits, speech)
    if choice is not None:
        return choice
    return Choice.DEFAULT if attempt >= MENU_ATTEMPTS else None


def language_of(preferred: str) -> str:
    """The catalog locale a caller hears: their own language when we have it, else English."""
    return i18n.supported(preferred) or i18n.DEFAULT


def text(
    prompt: str, language: str, overrides: Mapping[str, Mapping[str, str]], **values: object
) -> str:
    """Prompt `prompt` in `language`: the site's own text first, else the catalog's."""
    site = overrides.get(prompt, {})
    template = site.get(language) or i18n.gettext(TEXTS[prompt], language)
    return template.format(**values)


def callback_due(
    *,
    key_account: bool,
    now: datetime,
    hours: Mapping[str, list[list[str]]],
    timezone: str,
    key_account_hours: int,
    business_hours: int,
    calendar: BusinessCalendar | None = None,
) -> datetime:
    """When a callback for an abandoned call or a voicemail is due: a key account within
    `key_account_hours` of wall-clock time (the 24-hour promise); others within
    `business_hours` of the queue's open time (the site `calendar`'s closed dates closed,
    its make-up days open on the queue's usual day)."""
    if key_account:
        return now + timedelta(hours=key_account_hours)
    closed, make_up = (calendar.closed, calendar.extra) if calendar else ((), ())
    amount = timedelta(hours=business_hours)
    return add_open_time(hours, now, amount, timezone, closed, make_up)


def wait_minutes(seconds: int) -> int:
    """The expected wait as said to a caller: whole minutes, at least one."""
    return max(1, round(seconds / 60))

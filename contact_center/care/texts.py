"""The words of care messages, in the customer's language (the catalogs' en / zh_Hans)."""

from __future__ import annotations

from contact_center.care.model import Broadcast, Greeting
from contact_center.i18n import gettext


def greeting_text(greeting: Greeting, locale: str) -> tuple[str, str]:
    """(subject, body) of a greeting."""
    name = greeting.customer.name
    if greeting.occasion.startswith("birthday:"):
        subject = gettext("Happy birthday", locale)
        body = gettext(
            "Happy birthday, {name}! With best wishes from your service team.", locale
        ).format(name=name)
    else:
        subject = gettext("Holiday greetings", locale)
        body = gettext(
            "Season's greetings, {name}! Your service team wishes you a happy holiday.", locale
        ).format(name=name)
    return subject, body


def broadcast_text(broadcast: Broadcast, locale: str) -> str:
    if locale == "zh_Hans" and broadcast.body_zh.strip():
        return broadcast.body_zh
    return broadcast.body_en

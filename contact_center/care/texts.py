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


SUBJECT_LENGTH = 78  # a subject line that mail clients show whole


def subject_from(body: str) -> str:
    """A subject derived from a text: its first line, shortened at a word when long."""
    line = next((part.strip() for part in body.splitlines() if part.strip()), "")
    if len(line) <= SUBJECT_LENGTH:
        return line
    cut = line[: SUBJECT_LENGTH - 1]
    if " " in cut:  # at a word, where the text has spaces (Chinese has none)
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def broadcast_subjects(
    subject_en: str, subject_zh: str, body_en: str, body_zh: str
) -> tuple[str, str]:
    """The email subjects a broadcast is stored with: those given, else from the text in the
    same language; a Chinese reader without a Chinese text gets the English subject too."""
    english = subject_en.strip() or subject_from(body_en)
    if subject_zh.strip():
        return english, subject_zh.strip()
    return english, subject_from(body_zh) if body_zh.strip() else english


def broadcast_subject(broadcast: Broadcast, locale: str) -> str:
    if locale == "zh_Hans" and broadcast.subject_zh:
        return broadcast.subject_zh
    return broadcast.subject_en or subject_from(broadcast.body_en)


def broadcast_text(broadcast: Broadcast, locale: str) -> str:
    if locale == "zh_Hans" and broadcast.body_zh.strip():
        return broadcast.body_zh
    return broadcast.body_en

"""Acknowledgement texts: gratitude first, then the ticket number. Pure.

A new ticket gets one at once on the channel it came from; follow-ups on an open ticket do not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from contact_center import i18n
from contact_center.i18n import N_
from contact_center.tickets.model import Channel, Kind

# A sender who opens ticket after ticket (an autoresponder that varies its subject, a script) is
# thanked for the first few only, so two machines can never answer each other for long.
ACK_BUDGET = 3
ACK_BUDGET_WINDOW = timedelta(hours=1)


def within_ack_budget(opened_in_window: int) -> bool:
    """Whether a new ticket may be thanked, given how many tickets (this one included) its
    customer opened on the same channel within ACK_BUDGET_WINDOW."""
    return opened_in_window <= ACK_BUDGET


@dataclass(frozen=True)
class AckText:
    subject: str
    body: str


# English source texts; the catalogs (contact_center/i18n) hold their translations.
SMS = N_(
    "Thank you for contacting us. We have your message as ticket #{number} and "
    "will get back to you soon. Reply STOP to opt out."
)
SMS_COMPLAINT = N_(
    "Thank you for telling us, and we are sorry for the trouble. Your complaint is "
    "ticket #{number}; a named person will contact you. Reply STOP to opt out."
)
SMS_HELP = N_(
    "Customer care: text us your question here and a person will answer. Reply "
    "STOP to opt out, START to opt back in."
)
EMAIL_SUBJECT = N_("We received your message [#{number}]")
EMAIL = N_(
    "Hello{name},\n\nthank you for writing to us. Your message is now ticket "
    "#{number}, and we will answer it as soon as we can. To add anything, simply "
    "reply to this email.\n\nKind regards,\nCustomer care"
)
EMAIL_COMPLAINT = N_(
    "Hello{name},\n\nthank you for taking the time to tell us what went wrong, and "
    "we are sorry for the trouble. Your complaint is ticket #{number}. A named "
    "person will look into it and contact you. To add anything, simply reply to "
    "this email.\n\nKind regards,\nCustomer care"
)


def language_of(preferred: str, text: str) -> str:
    """The customer's language when known, else a guess from what they wrote."""
    if preferred.lower().startswith("zh"):
        return "zh"
    if preferred:
        return "en"
    # A Chinese character says about as much as an English word: one Chinese word in an
    # English mail (a product name, 退款) does not make the customer a Chinese speaker.
    hanzi = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    latin_words = len(re.findall(r"[A-Za-z]{2,}", text))
    return "zh" if hanzi and hanzi >= latin_words else "en"


DEFAULT_TEMPLATES: dict[str, str] = {
    "sms": SMS,
    "sms_complaint": SMS_COMPLAINT,
    "email": EMAIL,
    "email_complaint": EMAIL_COMPLAINT,
    "email_subject": EMAIL_SUBJECT,
    "sms_help": SMS_HELP,
}
Templates = Mapping[str, Mapping[str, str]]


def _template(templates: Templates, name: str, language: str) -> str:
    """The site's own text when it has one for this language, else ours in that language
    from the catalogs, else the site's English text, else ours."""
    site = templates.get(name, {})
    if language in site:
        return site[language]
    locale = i18n.supported(language)
    if locale is not None:
        return i18n.gettext(DEFAULT_TEMPLATES[name], locale)
    return site.get("en") or DEFAULT_TEMPLATES[name]


def help_text(language: str, templates: Templates | None = None) -> str:
    return _template(templates or {}, "sms_help", language)


def ack_text(
    channel: Channel,
    kind: Kind,
    number: int,
    language: str,
    name: str = "",
    templates: Templates | None = None,
) -> AckText:
    """`templates` (from ACK_TEMPLATES) override ours per name and language."""
    site = templates or {}
    suffix = "_complaint" if kind is Kind.COMPLAINT else ""
    if channel is Channel.SMS:
        return AckText(
            "", _template(site, "sms" + suffix, language).format(number=number, name=name)
        )
    greeting = f" {name}" if name and not language.startswith("zh") else name
    subject = _template(site, "email_subject", language).format(number=number, name=name)
    body = _template(site, "email" + suffix, language).format(number=number, name=greeting)
    return AckText(subject, body)

"""Acknowledgement texts: gratitude first, then the ticket number. Pure.

A new ticket gets one at once on the channel it came from; follow-ups on an open ticket do not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

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


SMS = {
    "en": "Thank you for contacting us. We have your message as ticket #{number} and will get "
    "back to you soon. Reply STOP to opt out.",
    "zh": "感谢您联系我们！您的消息已登记为工单 #{number}，我们会尽快回复您。"
    "回复 退订 可取消短信通知。",
}
SMS_COMPLAINT = {
    "en": "Thank you for telling us, and we are sorry for the trouble. Your complaint is ticket "
    "#{number}; a named person will contact you. Reply STOP to opt out.",
    "zh": "感谢您的反馈，给您带来不便我们深表歉意。您的投诉已登记为工单 #{number}，"
    "专人将尽快与您联系。回复 退订 可取消短信通知。",
}
SMS_HELP = {
    "en": "Customer care: text us your question here and a person will answer. Reply STOP to "
    "opt out, START to opt back in.",
    "zh": "客户服务：直接回复本号码留言，我们会有专人答复。回复 退订 取消短信，回复 订阅 恢复。",
}
EMAIL_SUBJECT = {
    "en": "We received your message [#{number}]",
    "zh": "我们已收到您的来信 [#{number}]",
}
EMAIL = {
    "en": "Hello{name},\n\nthank you for writing to us. Your message is now ticket #{number}, and "
    "we will answer it as soon as we can. To add anything, simply reply to this email.\n\n"
    "Kind regards,\nCustomer care",
    "zh": "您好{name}：\n\n感谢您的来信。您的消息已登记为工单 #{number}，我们会尽快答复。"
    "如需补充，直接回复本邮件即可。\n\n客户服务中心",
}
EMAIL_COMPLAINT = {
    "en": "Hello{name},\n\nthank you for taking the time to tell us what went wrong, and we are "
    "sorry for the trouble. Your complaint is ticket #{number}. A named person will look into "
    "it and contact you. To add anything, simply reply to this email.\n\nKind regards,\n"
    "Customer care",
    "zh": "您好{name}：\n\n感谢您抽出时间告诉我们问题所在，给您带来不便我们深表歉意。"
    "您的投诉已登记为工单 #{number}，专人将负责调查并与您联系。"
    "如需补充，直接回复本邮件即可。\n\n客户服务中心",
}


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


DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    "sms": SMS,
    "sms_complaint": SMS_COMPLAINT,
    "email": EMAIL,
    "email_complaint": EMAIL_COMPLAINT,
    "email_subject": EMAIL_SUBJECT,
    "sms_help": SMS_HELP,
}
Templates = Mapping[str, Mapping[str, str]]


def _template(templates: Templates, name: str, language: str) -> str:
    """The site's own text when it has one for this language, else ours, else English."""
    for source in (templates.get(name, {}), DEFAULT_TEMPLATES[name]):
        if language in source:
            return source[language]
    return templates.get(name, {}).get("en") or DEFAULT_TEMPLATES[name]["en"]


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

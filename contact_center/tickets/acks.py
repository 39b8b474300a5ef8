"""Acknowledgement texts: gratitude first, then the ticket number. Pure.

A new ticket gets one at once on the channel it came from; follow-ups on an open ticket do not.
"""

from __future__ import annotations

from dataclasses import dataclass

from contact_center.tickets.model import Channel, Kind


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
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "en"


def ack_text(channel: Channel, kind: Kind, number: int, language: str, name: str = "") -> AckText:
    lang = language if language in SMS else "en"
    complaint = kind is Kind.COMPLAINT
    if channel is Channel.SMS:
        body = (SMS_COMPLAINT if complaint else SMS)[lang]
        return AckText("", body.format(number=number))
    greeting = f" {name}" if name and lang == "en" else name
    body = (EMAIL_COMPLAINT if complaint else EMAIL)[lang]
    return AckText(
        EMAIL_SUBJECT[lang].format(number=number), body.format(number=number, name=greeting)
    )

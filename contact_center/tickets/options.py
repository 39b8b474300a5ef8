"""Intake and reply options from the site's Settings."""

from contact_center.config import Settings
from contact_center.tickets.model import IntakeOptions
from contact_center.tickets.replies import ReplyOptions


def intake_options(settings: Settings) -> IntakeOptions:
    return IntakeOptions(
        region=settings.default_phone_region,
        thread_window=settings.thread_window,
        reopen_window=settings.reopen_window,
        acknowledge=settings.acknowledge,
        sms_from=settings.twilio_from_number,
        email_from=settings.support_address,
        mail_domain=settings.mail_domain,
        ack_templates=settings.ack_templates,
    )


def reply_options(settings: Settings) -> ReplyOptions:
    return ReplyOptions(
        mail_domain=settings.mail_domain,
        email_from=settings.support_address,
        sms_from=settings.twilio_from_number,
        undo_seconds=settings.reply_undo_seconds,
    )

from contact_center.config import ACK_TEMPLATE_NAMES
from contact_center.tickets.acks import DEFAULT_TEMPLATES, ack_text, language_of
from contact_center.tickets.model import Channel, Kind


def test_gratitude_first_then_the_ticket_number() -> None:
    sms = ack_text(Channel.SMS, Kind.INQUIRY, 1234, "en")
    assert sms.body.startswith("Thank you") and "#1234" in sms.body and sms.subject == ""
    email = ack_text(Channel.EMAIL, Kind.COMPLAINT, 77, "en", name="Avery")
    assert email.body.startswith("Hello Avery,\n\nthank you") and "sorry" in email.body
    assert email.subject == "We received your message [#77]"


def test_the_customers_language_is_used() -> None:
    assert language_of("zh-CN", "hello") == "zh"
    assert language_of("", "你好，我的订单呢？") == "zh"
    assert language_of("en", "你好") == "en"
    assert language_of("", "我想退款 order 1234") == "zh"


def test_one_chinese_word_in_english_text_is_not_chinese() -> None:
    assert language_of("", "退款 request for my order, please help") == "en"
    assert "感谢" in ack_text(Channel.SMS, Kind.INQUIRY, 5, "zh").body
    assert ack_text(Channel.EMAIL, Kind.INQUIRY, 5, "zh", name="王小明").body.startswith(
        "您好王小明"
    )
    assert ack_text(Channel.SMS, Kind.INQUIRY, 5, "fr").body.startswith("Thank you")


def test_site_templates_override_ours_per_language() -> None:
    site = {"sms": {"en": "Thanks! Ticket {number}."}, "email_subject": {"zh": "工单 {number}"}}
    assert ack_text(Channel.SMS, Kind.INQUIRY, 9, "en", templates=site).body == "Thanks! Ticket 9."
    assert "感谢" in ack_text(Channel.SMS, Kind.INQUIRY, 9, "zh", templates=site).body
    assert ack_text(Channel.EMAIL, Kind.INQUIRY, 9, "zh", templates=site).subject == "工单 9"


def test_config_knows_every_template_name() -> None:
    assert set(ACK_TEMPLATE_NAMES) == set(DEFAULT_TEMPLATES)

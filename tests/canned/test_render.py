from __future__ import annotations

from contact_center.canned import render


def test_known_variables_are_filled() -> None:
    rendered = render(
        "Hello {customer_name}, ticket #{ticket_number}. — {agent_name}",
        {"customer_name": "Mei Lin", "ticket_number": 1042, "agent_name": "Sam"},
    )
    assert rendered.text == "Hello Mei Lin, ticket #1042. — Sam"
    assert rendered.unknown == []


def test_unknown_or_empty_variables_stay_visible_and_are_reported_once() -> None:
    rendered = render(
        "Hi {customer_name}, your {order_id} and {order_id} again; {agent_name}",
        {"customer_name": "", "agent_name": "Sam"},
    )
    assert rendered.text == "Hi {customer_name}, your {order_id} and {order_id} again; Sam"
    assert rendered.unknown == ["customer_name", "order_id"]


def test_braces_that_are_not_variables_are_plain_text() -> None:
    for body in ["{", "}", "{}", "{ customer_name }", "{{customer_name}", "a {1x} b", "{%s}"]:
        assert render(body, {"customer_name": "X"}).text == body.replace("{customer_name}", "X")


def test_values_are_not_rendered_again() -> None:
    rendered = render("{customer_name}", {"customer_name": "{agent_name}", "agent_name": "Sam"})
    assert rendered.text == "{agent_name}" and rendered.unknown == []


def test_chinese_text_is_kept() -> None:
    assert render("{customer_name}您好", {"customer_name": "王芳"}).text == "王芳您好"

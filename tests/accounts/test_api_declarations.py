"""What the accounts routes declare is what they answer."""

from __future__ import annotations

import inspect

from contact_center.web.api import account_health, account_values, accounts


def test_removing_an_override_declares_no_body_as_it_answers_204() -> None:
    (route,) = [
        r for r in accounts.ROUTES if r.method == "DELETE" and r.path.endswith("/tier-override")
    ]
    assert route.answer is None


def test_the_accounts_web_handlers_leave_transactions_to_the_services() -> None:
    """An edit and what follows from it commit together only when one service function owns
    the transaction; a handler that opens its own splits them."""
    for module in (accounts, account_health, account_values):
        assert "transaction(" not in inspect.getsource(module), module.__name__

"""What the accounts routes declare is what they answer."""

from __future__ import annotations

from contact_center.web.api import accounts


def test_removing_an_override_declares_no_body_as_it_answers_204() -> None:
    (route,) = [
        r for r in accounts.ROUTES if r.method == "DELETE" and r.path.endswith("/tier-override")
    ]
    assert route.answer is None

"""Schemathesis hooks for scripts/contract.py: how to make values of the API's own formats.

`phone` (see contact_center/web/api/schemas.py) is a number valid where it is dialled; these
are made-up numbers in ranges kept for fiction (555-01XX), written the ways people write them.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import strategies as st

AREA_CODES = ["202", "212", "312", "415", "617", "718"]
WRITINGS = ["+1{a}555{n}", "({a}) 555-{n}", "{a}.555.{n}", "1 {a} 555 {n}", "{a}555{n}"]

phones = st.builds(
    lambda writing, area, last: writing.format(a=area, n=f"01{last:02d}"),
    st.sampled_from(WRITINGS),
    st.sampled_from(AREA_CODES),
    st.integers(min_value=0, max_value=99),
)
schemathesis.openapi.format("phone", phones)


def _tidy_spans(spans: list[Any]) -> list[Any]:
    """One day's spans as a person would give them: each ending after it starts, in order,
    none overlapping the one before (the rest dropped)."""
    kept: list[Any] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if not kept or start >= kept[-1][1]:
            kept.append([start, end])
    return kept


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: Any, kwargs: dict[str, Any]) -> None:
    """A queue's hours must not overlap or run backwards, which a JSON schema cannot say (the
    document says it in words): generated schedules are tidied so, in every phase."""
    if not case.operation.path.startswith("/api/v1/queues"):
        return
    body: Any = case.body
    hours = body.get("hours") if isinstance(body, dict) else None
    if not isinstance(hours, dict):
        return
    for day, spans in hours.items():
        if isinstance(spans, list) and all(
            isinstance(s, list) and len(s) == 2 and all(isinstance(t, str) for t in s)
            for s in spans
        ):
            hours[day] = _tidy_spans(spans)

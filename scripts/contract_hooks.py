"""Schemathesis hooks for scripts/contract.py: how to make values of the API's own formats.

`phone` (see contact_center/web/api/schemas.py) is a number valid where it is dialled; these
are made-up numbers in ranges kept for fiction (555-01XX), written the ways people write them.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
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


def _tidy_profile(body: Any) -> None:
    """A visit profile's hours run forwards and its start point has both coordinates or none."""
    if not isinstance(body, dict):
        return
    hours = body.get("hours")
    if isinstance(hours, list) and len(hours) == 2 and all(isinstance(t, str) for t in hours):
        body["hours"] = sorted(hours) if hours[0] != hours[1] else None
    if (body.get("start_latitude") is None) != (body.get("start_longitude") is None):
        body["start_latitude"] = body["start_longitude"] = None


def _bind_visit(case: Any, kwargs: dict[str, Any]) -> None:
    """A visit's move and outcome are valid for the visit as it stands (its version, a day the
    planner allows, a state it may take), which a schema cannot say: a generated body is bound
    to the real visit, read from the service, when the id is a real one."""
    body = case.body
    if not isinstance(body, dict):
        return
    base, token = os.environ.get("CONTRACT_URL"), os.environ.get("CONTRACT_TOKEN")
    if not base or not token:
        return
    url = f"{base.rstrip('/')}/api/v1/visits/{case.path_parameters['id']}"
    headers = {"Authorization": f"Bearer {token}"}
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=5) as r:
            visit = json.load(r)
    except (urllib.error.URLError, ValueError, TimeoutError):
        return  # a made-up id: 404 either way
    body["version"] = visit["version"]
    if case.operation.path.endswith("/move"):
        body["day"] = visit["day"]  # pinning it where it is: always allowed
    elif visit["state"] in ("planned", "confirmed") and not visit["needs_outcome"]:
        body["state"] = "confirmed" if visit["state"] == "planned" else "cancelled"
        body["satisfaction"] = None


@schemathesis.hook
def before_call(context: schemathesis.HookContext, case: Any, kwargs: dict[str, Any]) -> None:
    """A queue's hours must not overlap or run backwards, which a JSON schema cannot say (the
    document says it in words): generated schedules are tidied so, in every phase; so are a
    manager's visit hours."""
    if case.operation.path.endswith("/visit-profile"):
        _tidy_profile(case.body)
        return
    if case.operation.path in ("/api/v1/visits/{id}/move", "/api/v1/visits/{id}/outcome"):
        _bind_visit(case, kwargs)
        return
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

"""The schemathesis side of scripts/contract.py: which checks run, how ids, cursors and the
login are bound to real values (a schemathesis.toml), and the figures read from its report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LOGIN_EMAIL, LOGIN_PASSWORD = "login@example.com", "contract-password"
FEED_EMAIL = "feed-reader@example.com"  # an account manager the run only reads the feed of
HOOKS = Path(__file__).with_name("contract_hooks.py")
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "positive_data_acceptance",
)
# How often an id parameter takes a real id rather than a generated one.
REAL_ID_SHARE = 0.8
# Which objects each `{id}` (by path) and each id field of a body (by name) refers to.
PATH_IDS = {
    r"^/api/v1/customers/\{id\}(?!/unmerge)": "customer",
    r"^/api/v1/customers/\{id\}/unmerge": "merged",
    r"^/api/v1/organizations/\{id\}": "organization",
    r"^/api/v1/tickets/\{id\}/case(?!/moves)": "case_ticket",  # tickets with a complaint case
    r"^/api/v1/tickets/\{id\}(?!.*\{message_id\})(?!/case)": "ticket",
    r"^/api/v1/users/\{id\}": "user",
    r"^/api/v1/tokens/\{id\}": "token",
    r"^/api/v1/attachments/\{id\}": "attachment",
    r"^/api/v1/canned-replies/\{id\}": "canned",
    r"^/api/v1/broadcasts/\{id\}": "broadcast",
    r"^/api/v1/offers/\{id\}": "offer",
    r"^/api/v1/routing/items/\{id\}(?!/assign)": "item",
    r"^/api/v1/accounts/\{id\}": "organization",
    r"^/api/v1/account-tasks/\{id\}": "account_task",
    r"^/api/v1/visits/\{id\}": "visit",
    r"^/api/v1/accounts/\{id\}/visit": "organization",
}
# Operations that a valid request seldom passes (a case's move needs the step's fields, an
# assignment a live item and an agent with room): with a made-up id among their few examples,
# all of them could be refused and a 404 among the refusals reads as "no test data". They
# always get real ids, of the kind that can pass.
ALWAYS_REAL = {
    r"^/api/v1/tickets/\{id\}/case/moves": {"path.id": "case_ticket"},
    r"^/api/v1/routing/items/\{id\}/assign": {"path.id": "live_item", "body.user_id": "agent_user"},
    # A manager's leave day to remove, and the secret of a calendar feed.
    r"^/api/v1/managers/\{id\}/leave/\{day\}": {"path.id": "manager", "path.day": "leave_day"},
    r"^/api/v1/managers/\{id\}/(?!leave/)": {"path.id": "manager"},
    r"^/calendar/\{token\}": {"path.token": "feed"},
}
USER_PATHS = r"^/api/v1/agents/\{user_id\}"
QUEUE_PATHS = r"^/api/v1/queues/\{name\}"
WORKFLOW_PATHS = r"^/api/v1/workflows/\{name\}"
CASE_LABEL_PATHS = r"^/api/v1/case-labels/\{list\}/\{key\}"
MESSAGE_PATHS = r"^/api/v1/tickets/\{id\}/.*\{message_id\}"
LISTS = ["/api/v1/customers", "/api/v1/organizations", "/api/v1/tickets", "/api/v1/inbox"]
# Lists of one object (`{id}` in the path): their cursors are read from real objects of that
# kind. Such a cursor is a position in the list's order, valid for every object of the kind.
OBJECT_LISTS = {"/api/v1/accounts/{id}/values": "organization"}
BODY_IDS = {
    "customer_id": "customer",
    "merge_id": "customer",
    "a": "customer",  # a pair of suggested duplicates
    "b": "customer",
    "organization_id": "organization",
    "assignee_id": "user",
    "account_manager_id": "user",
    "manager_id": "manager_user",
    "user_id": "user",
    "overflow_queue": "queue",
}


def config_toml(
    ids: dict[str, list[str]], cursors: dict[str, list[str]], *, examples: int, quick: bool
) -> str:
    """A schemathesis.toml that binds id parameters to dictionaries of real ids."""
    lines = [
        "continue-on-failure = true",
        f"hooks = {json.dumps(str(HOOKS))}",
        "[generation]",
        f"max-examples = {examples}",
        # NUL characters are the input boundary's business: it removes them (docs/api.md), so a
        # generated value can come out shorter than its schema's minLength. tests/web tests
        # that rule on its own.
        "allow-x00 = false",
        # Methods a path does not serve get 405 from the router whatever the document says.
        "[phases.coverage]",
        "unexpected-methods = []",
        # The short run keeps the boundary cases a valid request may take; the long run also
        # sends every kind of invalid value.
        f"generation.mode = {json.dumps('positive' if quick else 'all')}",
        "[checks]",
        "enabled = false",
        *(f"{check}.enabled = true" for check in CHECKS),
    ]
    for kind, values in ids.items():
        if values:
            lines += [f"[dictionaries.{kind}]", f"values = {json.dumps(values)}"]
    for n, (path, values) in enumerate(cursors.items()):
        lines += [
            f"[dictionaries.cursor{n}]",
            f"values = {json.dumps(values)}",
            "[[operations]]",
            f"include-name = {json.dumps('GET ' + path)}",
            f'parameters = {{ "query.cursor" = {{ dictionary = "cursor{n}" }} }}',
        ]
    lines += [
        "[dictionaries.login_email]",
        f"values = [{json.dumps(LOGIN_EMAIL)}]",
        "[dictionaries.login_password]",
        f"values = [{json.dumps(LOGIN_PASSWORD)}]",
        "[[operations]]",
        'include-name = "POST /api/v1/auth/login"',
        'parameters = { "body.email" = { dictionary = "login_email", probability = 0.5 }, '
        '"body.password" = { dictionary = "login_password", probability = 0.5 } }',
    ]
    for pattern, kind in PATH_IDS.items():
        if ids.get(kind):
            lines += [
                "[[operations]]",
                f"include-path-regex = {json.dumps(pattern)}",
                f'parameters = {{ "path.id" = {{ dictionary = "{kind}", '
                f"probability = {REAL_ID_SHARE} }} }}",
            ]
    for pattern, params in ALWAYS_REAL.items():
        if all(ids.get(kind) for kind in params.values()):
            bound = ", ".join(
                f'"{name}" = {{ dictionary = "{kind}", probability = 1.0 }}'
                for name, kind in params.items()
            )
            lines += [
                "[[operations]]",
                f"include-path-regex = {json.dumps(pattern)}",
                f"parameters = {{ {bound} }}",
            ]
    if ids.get("queue"):  # queues are named, not numbered: real names most of the time
        lines += [
            "[[operations]]",
            f"include-path-regex = {json.dumps(QUEUE_PATHS)}",
            f'parameters = {{ "path.name" = {{ dictionary = "queue", '
            f"probability = {REAL_ID_SHARE} }} }}",
        ]
    if ids.get("workflow"):  # workflows are named too
        lines += [
            "[[operations]]",
            f"include-path-regex = {json.dumps(WORKFLOW_PATHS)}",
            f'parameters = {{ "path.name" = {{ dictionary = "workflow", '
            f"probability = {REAL_ID_SHARE} }} }}",
        ]
    if ids.get("case_label"):
        lines += [
            "[[operations]]",
            f"include-path-regex = {json.dumps(CASE_LABEL_PATHS)}",
            f'parameters = {{ "path.key" = {{ dictionary = "case_label", '
            f"probability = {REAL_ID_SHARE} }} }}",
        ]
    if ids.get("user"):
        lines += [
            "[[operations]]",
            f"include-path-regex = {json.dumps(USER_PATHS)}",
            f'parameters = {{ "path.user_id" = {{ dictionary = "user", '
            f"probability = {REAL_ID_SHARE} }} }}",
        ]
    # Paths naming a ticket and one of its messages: the pair must belong together.
    if ids.get("message") and ids.get("message_ticket"):
        lines += [
            "[[operations]]",
            f"include-path-regex = {json.dumps(MESSAGE_PATHS)}",
            'parameters = { "path.id" = { dictionary = "message_ticket", probability = '
            f'{REAL_ID_SHARE} }}, "path.message_id" = {{ dictionary = "message", '
            f"probability = {REAL_ID_SHARE} }} }}",
        ]
    body = [
        f'"body.{name}" = {{ dictionary = "{kind}", probability = {REAL_ID_SHARE} }}'
        for name, kind in BODY_IDS.items()
        if ids.get(kind)
    ]
    if ids.get("customer"):  # the other card of a merge preview
        body.append(f'"query.other" = {{ dictionary = "customer", probability = {REAL_ID_SHARE} }}')
    lines += ["[parameters]", *body]
    return "\n".join(line for line in lines if line) + "\n"


def summarize(report: Path) -> dict[str, Any]:
    """The figures of schemathesis's JSON report that docs/reliability.md keeps."""
    if not report.exists():
        return {}
    data = json.loads(report.read_text())
    return {
        "operations": data["operations"]["tested"],
        "cases": data["test_cases"]["generated"],
        "cases_with_failures": data["test_cases"]["with_failures"],
        "errors": len(data["errors"]),
        "failures": {f["code"]: f["count"] for f in data["failures"]},
        "missing_test_data": data["warnings"].get("missing_test_data", []),
    }

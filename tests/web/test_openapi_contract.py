"""The OpenAPI document says what the service does: the error answers of every operation,
the constraints of what it takes, and requests it calls valid are not refused.

The whole contract is checked by schemathesis against a running service (a short run here;
`scripts/schemathesis` is the long one); the tests above it pin each mismatch it found.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from jsonschema import Draft202012Validator

from contact_center.tickets import replies
from contact_center.users import Role
from contact_center.web.api import schemas
from contact_center.web.jsonio import check
from contact_center.web.routes import ROUTES
from tests.builders import make_customer, make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]
ROOT = Path(__file__).resolve().parents[2]


async def _document(client: Client, headers: dict[str, str]) -> dict[str, Any]:
    response = await client.get("/api/v1/openapi.json", headers=headers)
    document: dict[str, Any] = await response.json()
    return document


async def test_every_operation_documents_the_errors_it_can_answer(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    document = await _document(client, headers)
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            codes = set(op["responses"])
            takes_body = "requestBody" in op
            if op.get("security") != []:
                assert {"401", "403"} <= codes, (method, path)
            if "{id}" in path:
                assert "404" in codes, (method, path)
            if takes_body:
                assert {"400", "413", "415", "422"} <= codes, (method, path)
            if any(p["in"] == "query" for p in op.get("parameters", [])):
                assert "422" in codes, (method, path)
            for code, answer in op["responses"].items():
                if code != "204":
                    assert answer["content"], (method, path, code)


async def test_a_body_naming_other_objects_documents_404(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    document = await _document(client, headers)
    assert "404" in document["paths"]["/api/v1/tickets"]["post"]["responses"]
    assert "404" in document["paths"]["/api/v1/customers"]["post"]["responses"]


async def test_answers_match_their_documented_schema(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.ADMIN))
    document = await _document(client, headers)
    customer = await make_customer(db, emails=["writer@example.org"])
    for path, template in [
        (f"/api/v1/customers/{customer.id}", "/api/v1/customers/{id}"),
        ("/api/v1/customers?limit=1", "/api/v1/customers"),
        ("/api/v1/users", "/api/v1/users"),
        ("/api/v1/me", "/api/v1/me"),
    ]:
        response = await client.get(path, headers=headers)
        schema = document["paths"][template]["get"]["responses"]["200"]["content"]
        validator = Draft202012Validator(schema["application/json"]["schema"])
        assert list(validator.iter_errors(await response.json())) == [], path


async def test_an_empty_limit_means_the_default_page(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    for path in ["/api/v1/customers", "/api/v1/tickets", "/api/v1/organizations"]:
        response = await client.get(f"{path}?limit=", headers=headers)
        assert response.status == 200, (path, await response.text())


async def test_a_missing_referenced_object_is_404_naming_the_field(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    missing = "e3e70682-c209-1cac-a29f-6fbed82c07cd"
    for path, body, field in [
        ("/api/v1/customers", {"name": "A", "organization_id": missing}, "organization_id"),
        (
            "/api/v1/organizations",
            {"name": "B", "account_manager_id": missing},
            "account_manager_id",
        ),
    ]:
        response = await client.post(path, headers=headers, json=body)
        assert response.status == 404, await response.text()
        assert (await response.json())["error"]["field"] == field


async def test_merging_a_customer_into_itself_is_a_conflict(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    customer = await make_customer(db)
    response = await client.post(
        f"/api/v1/customers/{customer.id}/merge",
        headers=headers,
        json={"merge_id": str(customer.id)},
    )
    assert response.status == 409 and (await response.json())["error"]["field"] == "merge_id"


async def test_a_ticket_for_a_merged_away_customer_is_a_conflict(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    survivor, away = await make_customer(db), await make_customer(db)
    merged = await client.post(
        f"/api/v1/customers/{survivor.id}/merge", headers=headers, json={"merge_id": str(away.id)}
    )
    assert merged.status == 200
    opened = await client.post(
        "/api/v1/tickets", headers=headers, json={"customer_id": str(away.id), "subject": "Hi"}
    )
    assert opened.status == 409 and (await opened.json())["error"]["field"] == "customer_id"
    changed = await client.patch(
        f"/api/v1/customers/{away.id}", headers=headers, json={"notes": "x"}
    )
    assert changed.status == 409


def test_the_reply_schema_caps_an_sms_but_not_an_email() -> None:
    assert schemas.MAX_SMS_CHARS == replies.MAX_SMS_CHARS
    long_text = "x" * (replies.MAX_SMS_CHARS + 1)
    check({"channel": "email", "text": long_text}, schemas.REPLY_CREATE)
    with pytest.raises(Exception, match="longer than") as refused:
        check({"channel": "sms", "text": long_text}, schemas.REPLY_CREATE)
    assert getattr(refused.value, "field", None) == "text"


def test_text_that_is_only_spaces_is_refused_by_the_schema() -> None:
    for body, schema in [
        ({"text": "  "}, schemas.NOTE_CREATE),
        ({"name": " "}, schemas.CUSTOMER_CREATE),
        (
            {"customer_id": "e3e70682-c209-1cac-a29f-6fbed82c07cd", "subject": "\t"},
            schemas.TICKET_CREATE,
        ),
    ]:
        with pytest.raises(Exception, match="does not match"):
            check(body, schema)


@pytest.mark.commits
def test_the_service_matches_its_openapi_document(server_dsn: str) -> None:
    """Schemathesis over every operation, with real ids, against a running service."""
    run = subprocess.run(
        [sys.executable, "scripts/contract.py", "--quick", "--dsn", server_dsn],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-8000:] + run.stderr[-4000:]
    figures = json.loads(run.stdout.strip().splitlines()[-1])["contract"]
    assert figures["operations"] == len([r for r in ROUTES if not r.console])
    assert figures["failures"] == {} and figures["errors"] == 0
    assert figures["missing_test_data"] == []


async def test_an_unknown_assignee_is_404_and_a_reply_with_no_address_409(
    client: Client, db: SingleConnectionPool
) -> None:
    headers = await token_for(db, await make_user(db, Role.AGENT))
    customer = await make_customer(db, phones=[], emails=["only.mail@example.org"])
    opened = await client.post(
        "/api/v1/tickets", headers=headers, json={"customer_id": str(customer.id), "subject": "Hi"}
    )
    ticket = (await opened.json())["id"]
    assigned = await client.patch(
        f"/api/v1/tickets/{ticket}",
        headers=headers,
        json={"assignee_id": "e3e70682-c209-1cac-a29f-6fbed82c07cd"},
    )
    assert assigned.status == 404 and (await assigned.json())["error"]["field"] == "assignee_id"
    reply = await client.post(
        f"/api/v1/tickets/{ticket}/replies", headers=headers, json={"channel": "sms", "text": "Hi"}
    )
    assert reply.status == 409 and (await reply.json())["error"]["field"] == "channel"

"""The key-account list comes a page at a time with the total, never cut without a sign."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.users import Role
from tests.builders import make_user, token_for
from tests.conftest import SingleConnectionPool

Client = TestClient[Any, Any]


async def test_pages_of_key_accounts_with_the_total_and_a_manager_filter(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await token_for(db, await make_user(db, Role.SUPERVISOR))
    riley = await make_user(db, Role.ACCOUNT_MANAGER)
    async with db.acquire() as conn:
        await conn.execute(
            "INSERT INTO organizations (name, tier, is_key_account, account_manager_id)"
            " SELECT 'Paged ' || lpad(n::text, 4, '0'), 'A', true,"
            "        CASE WHEN n % 100 = 0 THEN $1::uuid END"
            " FROM generate_series(1, 620) n",
            riley.id,
        )
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        got = await client.get(
            f"/api/v1/accounts/key?limit=200&offset={offset}", headers=supervisor
        )
        assert got.status == 200, await got.text()
        body = await got.json()
        assert body["total"] == 620
        seen += [a["name"] for a in body["accounts"]]
        offset = body["next_offset"]
    assert len(seen) == len(set(seen)) == 620  # every account once, none past a cut
    rileys = await client.get(
        f"/api/v1/accounts/key?manager_id={riley.id}&limit=5", headers=supervisor
    )
    body = await rileys.json()
    assert (body["total"], len(body["accounts"]), body["next_offset"]) == (6, 5, 5)
    beyond = await client.get("/api/v1/accounts/key?offset=9999", headers=supervisor)
    assert (await beyond.json())["total"] == 620
    bad = await client.get("/api/v1/accounts/key?offset=-1", headers=supervisor)
    assert bad.status == 422

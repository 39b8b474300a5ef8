"""The console's routing parts as pages serve them: the presence switch and the offer card in
every staff page's frame, the supervisor view for supervisors and admins only (agents get the
403 page), and its link in the navigation for those who may open it."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient

from contact_center.users import Role
from tests.builders import make_user
from tests.conftest import SingleConnectionPool
from tests.web.test_console_pages import HTML, sign_in

Client = TestClient[Any, Any]


async def test_every_page_carries_the_presence_switch_and_the_offer_card(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    page = await (await client.get("/customers", headers={"Cookie": session, **HTML})).text()
    assert 'id="presence"' in page and 'id="presence-state"' in page
    assert 'role="alertdialog"' in page and 'data-key="y"' in page and 'data-key="n"' in page
    assert "/static/presence." in page and "/static/offers." in page
    assert 'href="/supervisor"' not in page


async def test_an_agent_gets_the_refusal_page_for_the_supervisor_view(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    page = await client.get("/supervisor", headers={"Cookie": session, **HTML})
    assert page.status == 403
    assert "<html" in await page.text()


async def test_supervisors_and_admins_open_the_supervisor_view_from_the_navigation(
    client: Client, db: SingleConnectionPool
) -> None:
    for role in (Role.SUPERVISOR, Role.ADMIN):
        user = await make_user(db, role)
        session, _ = await sign_in(client, user.email)
        inbox = await (await client.get("/", headers={"Cookie": session, **HTML})).text()
        assert 'href="/supervisor"' in inbox
        page = await client.get("/supervisor", headers={"Cookie": session, **HTML})
        assert page.status == 200
        text = await page.text()
        assert 'id="board-queues"' in text and "/static/supervisor." in text


async def test_the_inbox_has_a_place_for_my_callbacks(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    inbox = await (await client.get("/", headers={"Cookie": session, **HTML})).text()
    assert 'id="callbacks"' in inbox and "/static/callbacks." in inbox

"""The inbox page at `/`: server-rendered views with counts, filters, rows and the next page,
in English and Chinese, with labelled controls and escaped data."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import tickets
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import (
    TEST_ACTOR,
    make_customer,
    make_inbound_email,
    make_inbound_sms,
    make_user,
)
from tests.conftest import SingleConnectionPool
from tests.web.test_console_pages import HTML, sign_in

Client = TestClient[Any, Any]


async def _page(client: Client, session: str, query: str = "", **headers: str) -> str:
    response = await client.get("/" + query, headers={"Cookie": session, **HTML, **headers})
    assert response.status == 200, await response.text()
    return await response.text()


def _count(page: str, view: str) -> int:
    found = re.search(rf'data-count="{view}">(\d+)<', page)
    assert found, view
    return int(found.group(1))


async def test_the_first_paint_has_the_views_counts_and_rows(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    await make_customer(
        db, "Harbour Buyer", emails=["buyer@harbour.example"], tier="A", is_key_account=True
    )
    old = utc_now() - timedelta(days=2)
    late = await tickets.intake(
        db,
        make_inbound_email(
            from_address="buyer@harbour.example", subject="<script>alert(1)</script>"
        ),
        now=old,
    )
    fresh = await tickets.intake(db, make_inbound_sms(text="Hello"), now=utc_now())
    await tickets.update_ticket(db, TEST_ACTOR, fresh.ticket_id, {"tags": ["VIP"]}, now=utc_now())
    page = await _page(client, session)

    assert [_count(page, v) for v in ("mine", "queues", "unassigned", "open")] == [0, 0, 2, 2]
    assert f'href="/tickets/{late.ticket_id}"' in page and f"#{late.ticket_number}" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Key account" in page and "Tier A" in page and "Overdue" in page
    assert '<span class="badge tag">vip</span>' in page
    # newest activity first
    assert page.index(f"#{fresh.ticket_number}") < page.index(f"#{late.ticket_number}")
    # every control has its label, every column its header
    for control in re.findall(r'<(?:select|input) id="([^"]+)"', page):
        assert f'<label for="{control}">' in page, control
    inbox_table = page.split('id="inbox-table"', 1)[1].split("</table>", 1)[0]
    assert inbox_table.count('<th scope="col">') == 9
    assert 'aria-current="page">All open' in page
    data = json.loads(re.search(r'id="inbox-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["next_cursor"] is None and data["labels"]["text"]["overdue"] == "Overdue"
    assert re.search(r'src="/static/inbox\.[0-9a-f]+\.js"', page)


async def test_views_filters_and_the_next_page(client: Client, db: SingleConnectionPool) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    for n in range(3):
        opened = await tickets.intake(db, make_inbound_sms(text=f"question {n}"), now=utc_now())
    await tickets.update_ticket(
        db, TEST_ACTOR, opened.ticket_id, {"assignee_id": str(agent.id)}, now=utc_now()
    )
    mine = await _page(client, session, "?view=mine")
    assert 'aria-current="page">My tickets' in mine
    assert _count(mine, "mine") == 1 and mine.count("<tr data-id=") == 1

    first = await _page(client, session, "?limit=2&channel=sms")
    assert first.count("<tr data-id=") == 2
    more = re.search(r'id="inbox-more" href="([^"]+)"', first)
    assert more and "cursor=" in more.group(1) and "channel=sms" in more.group(1)
    second = await _page(client, session, more.group(1).replace("&amp;", "&").lstrip("/"))
    assert second.count("<tr data-id=") == 1

    none = await _page(client, session, "?kind=order")
    assert "No tickets here." in none and 'id="inbox-more" href="#" hidden' in none
    bad = await _page(client, session, "?status=closed")
    assert 'role="alert"' in bad and "(status)" in bad and bad.count("<tr data-id=") == 3


async def test_the_page_speaks_chinese(client: Client, db: SingleConnectionPool) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    await tickets.intake(db, make_inbound_sms(text="你好"), now=utc_now())
    page = await _page(client, session, **{"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "我的工单" in page and "全部未结" in page and "最近活动" in page
    data = json.loads(re.search(r'id="inbox-data">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["labels"]["text"]["empty"] == "这里没有工单。"
    assert data["labels"]["status"]["new"] == "新建"

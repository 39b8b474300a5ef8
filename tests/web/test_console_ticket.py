"""The ticket page as a browser gets it: signed-in only, everything escaped, the data its
scripts need in a JSON block, its scripts and styles as hashed static files, strings in the
user's language."""

from __future__ import annotations

import json
import re
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import tickets
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import make_inbound_email, make_user
from tests.conftest import SingleConnectionPool
from tests.web.test_console_pages import HTML, sign_in

Client = TestClient[Any, Any]
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


async def test_the_ticket_page_escapes_the_subject_and_carries_its_data(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    mail = await tickets.intake(
        db, make_inbound_email(subject=PAYLOAD, text=PAYLOAD), now=utc_now()
    )
    page = await client.get(f"/tickets/{mail.ticket_id}", headers={"Cookie": session, **HTML})
    assert page.status == 200
    html = await page.text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    block = re.search(
        r'<script type="application/json" id="ticket-data">(.*?)</script>', html, re.S
    )
    assert block is not None
    data = json.loads(block.group(1))
    assert data["ticket_id"] == str(mail.ticket_id)
    assert data["ticket_number"] == mail.ticket_number
    assert data["email_subject"].endswith(f"[#{mail.ticket_number}]")
    assert "<" not in block.group(1), "no raw < inside the data block"
    for name in ("ticket", "ticket_composer", "sms_length"):
        found = re.search(rf'src="(/static/{name}\.[0-9a-f]+\.js)"', html)
        assert found, name
        script = await client.get(found.group(1))
        assert script.status == 200 and script.content_type == "text/javascript"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"] or (
        "default-src 'self'" in page.headers["Content-Security-Policy"]
    )
    for marker in ['id="timeline"', 'id="composer"', 'id="info-card"', 'id="undo-bar"']:
        assert marker in html
    timeline = await client.get(
        f"/api/v1/tickets/{mail.ticket_id}/timeline", headers={"Cookie": session}
    )
    assert timeline.status == 200


async def test_the_ticket_page_speaks_chinese_and_needs_a_session(
    client: Client, db: SingleConnectionPool
) -> None:
    mail = await tickets.intake(db, make_inbound_email(subject="Lid"), now=utc_now())
    away = await client.get(f"/tickets/{mail.ticket_id}", headers=HTML, allow_redirects=False)
    assert away.status == 303 and away.headers["Location"].startswith("/login?next=/tickets/")
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    headers = {"Cookie": session, "Accept-Language": "zh-CN,zh;q=0.9", **HTML}
    page = await (await client.get(f"/tickets/{mail.ticket_id}", headers=headers)).text()
    assert "时间线" in page and "快捷回复" in page and "内部备注" in page
    missing = await client.get(
        "/tickets/e3e70682-c209-1cac-a29f-6fbed82c07cd", headers={"Cookie": session, **HTML}
    )
    assert missing.status == 404

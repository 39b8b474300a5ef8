"""The customer screens, rendered by the server: search, the info card with its edit form and
history, an organization's contacts, and the duplicate review with preview, merge and undo."""

from __future__ import annotations

import html
import json
import re
from typing import Any

from aiohttp.test_utils import TestClient

from contact_center import customers, tickets
from contact_center.tickets import Kind
from contact_center.timeutil import utc_now
from contact_center.users import Role
from tests.builders import (
    TEST_ACTOR,
    make_customer,
    make_inbound_sms,
    make_organization,
    make_user,
)
from tests.conftest import SingleConnectionPool
from tests.web.test_console_pages import HTML, sign_in

Client = TestClient[Any, Any]
ZH = {"Accept-Language": "zh-CN,zh;q=0.9", **HTML}


async def _page(client: Client, session: str, url: str, headers: dict[str, str] = HTML) -> str:
    response = await client.get(url, headers={"Cookie": session, **headers})
    assert response.status == 200, (url, response.status)
    return await response.text()


async def test_search_finds_by_chinese_name_phone_in_any_format_and_words(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    wang = await make_customer(db, name="王小明", phones=["+86 138 0013 8000"])
    sms = make_inbound_sms(from_address="+8613800138000", text="冰箱不制冷，要求退款")
    await tickets.intake(db, sms, now=utc_now())
    for q in ["王小明", "013800138000", "138-0013-8000", "冰箱", "退款"]:
        page = await _page(client, session, f"/customers?q={q}")
        assert f'href="/customers/{wang.id}"' in page, q
    nothing = await _page(client, session, "/customers?q=nobody-like-this", ZH)
    assert "没有与" in nothing


async def test_names_and_text_are_escaped(client: Client, db: SingleConnectionPool) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    evil = await make_customer(
        db, name="Quill <script>alert(1)</script>", preferences='"><img src=x onerror=alert(2)>'
    )
    found = await _page(client, session, "/customers?q=quill")
    card = await _page(client, session, f"/customers/{evil.id}")
    for page in (found, card):
        assert "<script>alert(1)" not in page and "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_the_card_shows_the_account_and_the_edit_is_audited(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    session, csrf = await sign_in(client, agent.email)
    org = await customers.create_organization(
        db,
        TEST_ACTOR,
        {
            "name": "华南电器",
            "is_key_account": True,
            "tier": "A",
            "account_manager_id": str(manager.id),
            "route_territory": "天河区",
            "route_weekday": 3,
        },
    )
    customer = await make_customer(
        db,
        name="陈静",
        organization_id=str(org.id),
        job_title="采购经理",
        birthday="1988-06-01",
        preferences="上午联系",
        language="zh",
        tags=["批发"],
    )
    result = await tickets.intake(
        db, make_inbound_sms(from_address=customer.phones[0], text="空调漏水"), now=utc_now()
    )
    await tickets.update_ticket(
        db, TEST_ACTOR, result.ticket_id, {"kind": Kind.COMPLAINT}, now=utc_now()
    )
    page = await _page(client, session, f"/customers/{customer.id}", ZH)
    for text in [
        "陈静",
        "A级",
        "重点客户",
        "华南电器",
        "采购经理",
        "天河区",
        "星期三",
        "1988-06-01",
        "<dd>中文</dd>",  # the language by name, not its code
    ]:
        assert text in page, text
    assert manager.email in page and "上午联系" in page and "批发" in page
    complaints = page.split("未结投诉</h3>")[1].split("</ul>")[0]
    assert f"#{result.ticket_number}" in complaints

    form = {
        "csrf_token": csrf,
        "name": "陈静",
        "job_title": "采购总监",
        "phones": customer.phones[0],
        "emails": "chen.jing@example.cn",
        "birthday": "1988-06-01",
        "preferences": "上午联系",
        "preferred_channel": "sms",
        "language": "zh",
        "tags": "批发，重点",
        "notes": "",
    }
    url = f"/customers/{customer.id}"
    refused = await client.post(
        url, data={**form, "csrf_token": "wrong"}, headers={"Cookie": session}
    )
    assert refused.status == 403
    saved = await client.post(url, data=form, headers={"Cookie": session}, allow_redirects=False)
    assert saved.status == 303, await saved.text()
    changed = await customers.get_customer(db, customer.id)
    assert changed.job_title == "采购总监" and changed.emails == ["chen.jing@example.cn"]
    assert changed.tags == ["批发", "重点"] and changed.account.key_account
    history = (await _page(client, session, url, ZH)).split('id="history"')[1]
    assert "采购经理" in history and "采购总监" in history and agent.email in history

    bad = await client.post(
        url, data={**form, "emails": "not-an-email"}, headers={"Cookie": session, **ZH}
    )
    assert bad.status == 422
    assert "邮箱" in await bad.text() and "not-an-email" in await bad.text()


async def test_an_edit_opened_before_someone_elses_change_does_not_overwrite_it(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, csrf = await sign_in(client, agent.email)
    customer = await make_customer(db, name="Rowan Vale", emails=["rowan@example.org"])
    url = f"/customers/{customer.id}"
    opened = await _page(client, session, url, {})
    version = re.search(r'name="version" value="([0-9a-f]+)"', opened)
    assert version, "the edit form carries the card's version"
    # Meanwhile another agent adds a phone.
    await customers.update_customer(
        db, TEST_ACTOR, customer.id, {"phones": ["+1 303 555 0199"]}, region="US"
    )
    form = {
        "csrf_token": csrf,
        "version": version.group(1),
        "name": "Rowan Vale",
        "phones": "",
        "emails": "rowan@example.org",
        "notes": "prefers mornings",
    }
    stale = await client.post(url, data=form, headers={"Cookie": session})
    assert stale.status == 409
    assert "someone changed this card since you opened it" in await stale.text()
    kept = await customers.get_customer(db, customer.id)
    assert kept.phones == ["+13035550199"] and kept.notes == ""

    # The page's script sends the form as it was opened: only what this agent changed is
    # applied, on top of the card as it is now.
    opened = {k: v for k, v in form.items() if k not in ("csrf_token", "version")}
    merged = await client.post(
        url,
        data={**form, "notes": "prefers mornings", "opened": json.dumps({**opened, "notes": ""})},
        headers={"Cookie": session},
        allow_redirects=False,
    )
    assert merged.status == 303
    both = await customers.get_customer(db, customer.id)
    assert both.phones == ["+13035550199"] and both.notes == "prefers mornings"


async def test_the_card_shows_what_the_organization_gives_and_says_so(
    client: Client, db: SingleConnectionPool
) -> None:
    """A member's tier, account manager and route are its organization's, shown as such and
    not editable on the card; a personal account's are the card's own, edited there."""
    agent = await make_user(db, Role.AGENT)
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    session, csrf = await sign_in(client, agent.email)
    org = await customers.create_organization(
        db,
        TEST_ACTOR,
        {
            "name": "Copper Lane Books",
            "tier": "B",
            "account_manager_id": str(manager.id),
            "route_territory": "North",
            "route_weekday": 1,
        },
    )
    plain = await make_customer(db, name="Rowan Ashdown", organization_id=str(org.id))
    page = await _page(client, session, f"/customers/{plain.id}")
    card = page.split('id="card"')[1].split("</dl>")[0]
    assert "Tier B" in card and manager.email in card and "North · Monday" in card
    assert card.count("(from the organization)") == 3
    form = page.split('id="card-form"')[1]
    assert 'name="tier"' not in form and f'href="/organizations/{org.id}"' in form

    own = await make_customer(db, name="Sage Ashdown", tier="A", route_territory="South")
    page = await _page(client, session, f"/customers/{own.id}", ZH)
    card = page.split('id="card"')[1].split("</dl>")[0]
    assert "A级" in card and "South" in card and "来自所属单位" not in card
    assert 'name="tier"' in page.split('id="card-form"')[1]
    form = {"csrf_token": csrf, "name": "Sage Ashdown", "tier": "B", "route_territory": "East"}
    opened = {"name": "Sage Ashdown", "tier": "A", "route_territory": "South"}
    saved = await client.post(
        f"/customers/{own.id}",
        data={**form, "opened": json.dumps(opened)},
        headers={"Cookie": session},
        allow_redirects=False,
    )
    assert saved.status == 303, await saved.text()
    account = await customers.account_of(db.conn, own.id)
    # The route is the agent's to change; the tier is supervisors' (read-only on this form).
    assert (account.tier, account.route_territory, account.personal) == ("A", "East", True)


async def test_an_organization_page_lists_its_contacts_with_roles(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    session, _ = await sign_in(client, agent.email)
    org = await customers.create_organization(db, TEST_ACTOR, {"name": "北方机电"})
    sun = await make_customer(db, name="孙丽", organization_id=str(org.id), job_title="财务")
    page = await _page(client, session, f"/organizations/{org.id}")
    row = page.split(f'href="/customers/{sun.id}"')[1].split("</tr>")[0]
    assert "孙丽" in row and "财务" in row


async def test_review_dismiss_preview_merge_and_undo(
    client: Client, db: SingleConnectionPool
) -> None:
    supervisor = await make_user(db, Role.SUPERVISOR)
    session, csrf = await sign_in(client, supervisor.email)
    a = await make_customer(db, name="Li Wei", emails=["li.wei@a.example"], tier="A")
    b = await make_customer(db, name="李伟", emails=["li.wei@b.example"], language="zh")
    c = await make_customer(db, name="Sage Brook", emails=["sage.brook@a.example"])
    d = await make_customer(db, name="Sage Brook", emails=["sage.brook@b.example"])
    await tickets.intake(db, make_inbound_sms(from_address=b.phones[0]), now=utc_now())
    page = await _page(client, session, "/customers/duplicates", ZH)
    assert "不同域名下的相同邮箱名" in page
    assert str(c.id) in page and str(d.id) in page
    dismissed = await client.post(
        "/customers/duplicates/dismiss",
        data={"csrf_token": csrf, "a": str(c.id), "b": str(d.id)},
        headers={"Cookie": session},
        allow_redirects=False,
    )
    assert dismissed.status == 303
    page = await _page(client, session, "/customers/duplicates")
    assert str(c.id) not in page and str(a.id) in page

    keep, other = a, b
    preview = await _page(
        client, session, f"/customers/duplicates/merge?keep={keep.id}&other={other.id}", ZH
    )
    assert "将转移到保留卡片的内容" in preview
    assert other.emails[0] in preview and re.search(r"工单</dt>\s*<dd>1: #\d+", preview)
    assert (await customers.get_customer(db, other.id)).merged_into_id is None
    merged = await client.post(
        "/customers/duplicates/merge",
        data={"csrf_token": csrf, "keep": str(keep.id), "other": str(other.id)},
        headers={"Cookie": session},
        allow_redirects=False,
    )
    assert merged.status == 303
    assert merged.headers["Location"] == f"/customers/{keep.id}?merged={other.id}"
    card = await _page(client, session, merged.headers["Location"])
    assert f'action="/customers/{other.id}/unmerge"' in card
    assert html.escape(other.name) in card
    away = await _page(client, session, f"/customers/{other.id}")
    assert "This card was merged into" in away and f'href="/customers/{keep.id}"' in away
    assert 'id="card-form"' not in away  # a merged-away card is changed through its survivor
    undone = await client.post(
        f"/customers/{other.id}/unmerge",
        data={"csrf_token": csrf},
        headers={"Cookie": session},
        allow_redirects=False,
    )
    assert undone.status == 303
    assert (await customers.get_customer(db, other.id)).merged_into_id is None


async def test_an_account_manager_cannot_review_duplicates(
    client: Client, db: SingleConnectionPool
) -> None:
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    session, _ = await sign_in(client, manager.email)
    refused = await client.get("/customers/duplicates", headers={"Cookie": session, **HTML})
    assert refused.status == 403
    home = await _page(client, session, "/customers")
    assert 'href="/customers/duplicates"' not in home


async def test_search_finds_organizations_by_name_and_their_page_has_visits(
    client: Client, db: SingleConnectionPool
) -> None:
    agent = await make_user(db, Role.AGENT)
    manager = await make_user(db, Role.ACCOUNT_MANAGER)
    session, _ = await sign_in(client, agent.email)
    harbor = await make_organization(
        db, "Harbor Tools Ltd", area="Port", route_territory="East", route_weekday=2
    )
    await customers.update_organization(
        db, TEST_ACTOR, harbor.id, {"account_manager_id": str(manager.id)}
    )
    plain = await make_organization(db, "Harbor Bakery")
    contact = await make_customer(db, name="Ada Brightwater", organization_id=str(harbor.id))

    found = await _page(client, session, "/customers?q=harbor")
    assert f'href="/organizations/{harbor.id}"' in found
    assert f'href="/organizations/{plain.id}"' in found
    assert "Port" in found and "East · Tuesday" in found
    assert "No customer matches" not in found  # an organization is a match
    by_contact = await _page(client, session, "/customers?q=brightwater")
    assert f'href="/customers/{contact.id}"' in by_contact
    assert 'id="organization-results"' not in by_contact

    page = await _page(client, session, f"/organizations/{harbor.id}")
    assert 'id="card-visits"' in page and f'data-organization-id="{harbor.id}"' in page
    assert "Ask for a visit" in page
    # Visits are for accounts someone looks after: none for an organization without a manager.
    assert 'id="card-visits"' not in await _page(client, session, f"/organizations/{plain.id}")
    card = await _page(client, session, f"/customers/{contact.id}")
    assert f'data-organization-id="{harbor.id}"' in card

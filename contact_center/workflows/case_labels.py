"""Managed lists of a complaint's category and root cause: defaults installed once,
supervisors add, rename, deactivate and order entries."""

from __future__ import annotations

import re
from typing import Any

from contact_center import audit, live
from contact_center.audit import Actor
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.i18n import gettext as _
from contact_center.live.model import Event
from contact_center.workflows import store

LISTS = ("category", "root_cause")
KEY = re.compile(r"^[a-z0-9_]{1,40}$")

DEFAULTS: dict[str, list[tuple[str, str, str]]] = {
    "category": [
        ("product_quality", "Product quality", "产品质量"),
        ("delivery", "Delivery", "物流配送"),
        ("billing", "Billing", "账单费用"),
        ("service_attitude", "Service attitude", "服务态度"),
        ("after_sales", "After-sales service", "售后服务"),
        ("other", "Other", "其他"),
    ],
    "root_cause": [
        ("manufacturing_defect", "Manufacturing defect", "生产缺陷"),
        ("carrier_delay", "Carrier delay", "承运商延误"),
        ("billing_error", "Billing error", "计费错误"),
        ("staff_conduct", "Staff conduct", "员工行为"),
        ("process_gap", "Process gap", "流程缺失"),
        ("customer_misunderstanding", "Customer misunderstanding", "客户误解"),
        ("other", "Other", "其他"),
    ],
}


async def install_defaults_in(conn: Conn) -> None:
    """The default entries, once: a database with any entry keeps what people made of it."""
    if await store.labels_installed(conn):
        return
    for list_name, entries in DEFAULTS.items():
        for position, (key, en, zh) in enumerate(entries):
            await store.insert_label(
                conn, list_name, key, {"en": en, "zh_Hans": zh}, position=position
            )


def _check_list(list_name: str) -> None:
    if list_name not in LISTS:
        raise NotFound(_("There is no list called {name}.").format(name=list_name))


def _view(row: dict[str, Any]) -> dict[str, Any]:
    return {k: row[k] for k in ("key", "title", "active", "position")}


async def list_labels(pool: Pool, list_name: str) -> list[dict[str, Any]]:
    """Every entry of the list, in its order, inactive ones included."""
    _check_list(list_name)
    async with pool.acquire() as conn:
        return [_view(r) for r in await store.list_labels(conn, list_name)]


async def active_labels_in(conn: Conn, list_name: str, language: str) -> list[dict[str, str]]:
    """The active entries as {key, title in `language`} (for choosing on a case)."""
    rows = await store.list_labels(conn, list_name)
    return [
        {"key": r["key"], "title": r["title"].get(language) or r["title"].get("en") or r["key"]}
        for r in rows
        if r["active"]
    ]


async def label_exists_in(conn: Conn, list_name: str, key: str) -> bool:
    """Whether `key` is an active entry of the list (a case's category or root cause)."""
    row = await store.get_label(conn, list_name, key)
    return row is not None and bool(row["active"])


async def create_label(
    pool: Pool,
    actor: Actor,
    list_name: str,
    key: str,
    title: dict[str, str],
    *,
    position: int | None = None,
) -> dict[str, Any]:
    """Add an entry; Conflict when the key is taken (an inactive entry can be reactivated)."""
    _check_list(list_name)
    if not KEY.match(key):
        raise Invalid(_("A key is 1-40 lower-case letters, digits or _."), field="key")
    if not (title.get("en") or "").strip():
        raise Invalid(_("Give the entry an English title."), field="title")
    async with transaction(pool) as conn:
        made = await store.insert_label(conn, list_name, key, title, position=position)
        if made is None:
            raise Conflict(_("The list already has an entry {key}.").format(key=key))
        await audit.record_change(
            conn, actor, "case_label", f"{list_name}:{key}", "created", after=_view(made)
        )
        await live.publish(conn, Event.WORKFLOW_UPDATED, {"list": list_name, "key": key})
    return _view(made)


async def update_label(
    pool: Pool, actor: Actor, list_name: str, key: str, changes: dict[str, Any]
) -> dict[str, Any]:
    """Rename (title), deactivate or reactivate (active), or move (position) an entry."""
    _check_list(list_name)
    if "title" in changes and not (changes["title"].get("en") or "").strip():
        raise Invalid(_("Give the entry an English title."), field="title")
    async with transaction(pool) as conn:
        before = await store.get_label(conn, list_name, key, lock=True)
        if before is None:
            raise NotFound(_("The list has no entry {key}.").format(key=key))
        if not changes:
            return _view(before)
        after = await store.update_label(conn, list_name, key, **changes)
        await audit.record_change(
            conn,
            actor,
            "case_label",
            f"{list_name}:{key}",
            "updated",
            before=_view(before),
            after=_view(after),
        )
        await live.publish(conn, Event.WORKFLOW_UPDATED, {"list": list_name, "key": key})
    return _view(after)

"""SQL for site settings and their versions. The only module that touches these tables.

A setting without a row has its code default and version 0; the first save stores version 1.
Each save writes the current row and a copy in site_setting_versions, in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn


@dataclass(frozen=True)
class StoredSetting:
    key: str
    value: Any
    version: int
    updated_at: datetime
    updated_by: UUID | None


@dataclass(frozen=True)
class SettingVersion:
    key: str
    version: int
    value: Any
    changed_at: datetime
    changed_by: UUID | None
    changed_by_name: str | None


async def read_all(conn: Conn) -> list[StoredSetting]:
    """Every stored setting (keys without a row keep their defaults)."""
    rows = await conn.fetch(
        "SELECT key, value, version, updated_at, updated_by FROM site_settings ORDER BY key"
    )
    return [StoredSetting(**dict(row)) for row in rows]


async def lock_setting(conn: Conn, key: str) -> StoredSetting | None:
    """The stored row of `key`, locked for this transaction; None when it has none yet."""
    row = await conn.fetchrow(
        "SELECT key, value, version, updated_at, updated_by FROM site_settings "
        "WHERE key = $1 FOR UPDATE",
        key,
    )
    return StoredSetting(**dict(row)) if row is not None else None


async def save_setting(
    conn: Conn, key: str, value: Any, *, version: int, at: datetime, by: UUID | None
) -> bool:
    """Store `value` as version `version` of `key` (1: the first row; else the row must be at
    `version - 1`), with its copy in the history. False when another save came first."""
    if version == 1:
        row = await conn.fetchrow(
            "INSERT INTO site_settings (key, value, version, updated_at, updated_by) "
            "VALUES ($1, $2, 1, $3, $4) ON CONFLICT (key) DO NOTHING RETURNING version",
            key,
            value,
            at,
            by,
        )
    else:
        row = await conn.fetchrow(
            "UPDATE site_settings SET value = $2, version = $3, updated_at = $4, updated_by = $5 "
            "WHERE key = $1 AND version = $3 - 1 RETURNING version",
            key,
            value,
            version,
            at,
            by,
        )
    if row is None:
        return False
    await conn.execute(
        "INSERT INTO site_setting_versions (key, version, value, changed_at, changed_by) "
        "VALUES ($1, $2, $3, $4, $5)",
        key,
        version,
        value,
        at,
        by,
    )
    return True


async def read_history(conn: Conn, key: str, *, limit: int) -> list[SettingVersion]:
    """The stored versions of `key`, newest first, with the name of who saved each."""
    rows = await conn.fetch(
        "SELECT v.key, v.version, v.value, v.changed_at, v.changed_by, "
        "u.name AS changed_by_name FROM site_setting_versions v "
        "LEFT JOIN users u ON u.id = v.changed_by "
        "WHERE v.key = $1 ORDER BY v.version DESC LIMIT $2",
        key,
        limit,
    )
    return [SettingVersion(**dict(row)) for row in rows]

"""Set-up shared by the care tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contact_center import site
from contact_center.timeutil import utc_now
from tests.builders import TEST_ACTOR


async def set_care(pool: Any, *, now: datetime | None = None, **values: Any) -> None:
    """Change these fields of the site's care setting (through the audited settings edit)."""
    async with pool.acquire() as conn:
        version = (await site.load(conn)).versions.get("care", 0)
    await site.update_setting(
        pool, TEST_ACTOR, "care", values, version=version, now=now or utc_now()
    )

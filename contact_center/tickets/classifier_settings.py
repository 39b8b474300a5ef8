"""Where intake and the console read the classifier's phrases: the site setting
`classifier` (its defaults when none is stored)."""

from __future__ import annotations

from typing import Any

from contact_center import site
from contact_center.db import Conn, Pool
from contact_center.site import SettingKey
from contact_center.tickets.classify import (
    Classification,
    ClassifierRules,
    classify,
    rules_from_setting,
)

KEY = SettingKey.CLASSIFIER.value


async def classifier_rules(conn: Conn) -> ClassifierRules:
    """The site's classifier rules as stored now."""
    return rules_from_setting((await site.load(conn)).classifier)


async def classifier_setting(pool: Pool) -> tuple[ClassifierRules, int]:
    """The classifier rules as the console edits them, with the stored version (0: never
    saved, the defaults)."""
    async with pool.acquire() as conn:
        settings = await site.load(conn)
    return rules_from_setting(settings.classifier), settings.versions.get(KEY, 0)


async def try_classifier(
    pool: Pool, text: str, rules_value: dict[str, Any] | None = None
) -> Classification:
    """What the classifier makes of `text`: with the stored rules, or with `rules_value`
    (rules being edited, not saved; Invalid naming the field the site would refuse)."""
    if rules_value is not None:
        checked = site.check_setting(KEY, rules_value)
        return classify(text, rules=rules_from_setting(checked))
    async with pool.acquire() as conn:
        rules = await classifier_rules(conn)
    return classify(text, rules=rules)

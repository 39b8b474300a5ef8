"""Where intake and the console read the classifier's phrases: the site setting
`classifier` (its defaults when none is stored)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from contact_center import site
from contact_center.audit import Actor
from contact_center.db import Conn, Pool
from contact_center.site import SettingKey
from contact_center.tickets.classify import (
    Classification,
    ClassifierRules,
    check_unique_phrases,
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


async def save_classifier(
    pool: Pool, actor: Actor, value: dict[str, Any], *, version: int, now: datetime
) -> tuple[ClassifierRules, int]:
    """Store new classifier rules if `version` is the one the editor saw (Conflict when
    someone saved in between); Invalid naming the field of a phrase listed twice or a value
    the site refuses. Versioned, audited and announced by the site settings."""
    check_unique_phrases(value)
    settings = await site.update_setting(pool, actor, KEY, value, version=version, now=now)
    return rules_from_setting(settings.classifier), settings.versions.get(KEY, 0)


async def try_classifier(
    pool: Pool, text: str, rules_value: dict[str, Any] | None = None
) -> Classification:
    """What the classifier makes of `text`: with the stored rules, or with `rules_value`
    (rules being edited, not saved)."""
    if rules_value is not None:
        return classify(text, rules=rules_from_setting(rules_value))
    async with pool.acquire() as conn:
        rules = await classifier_rules(conn)
    return classify(text, rules=rules)

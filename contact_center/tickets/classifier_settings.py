"""Where intake and the console read the classifier's phrases: the site setting
`classifier`, defaults when none is stored."""

from __future__ import annotations

from contact_center.db import Conn
from contact_center.site import SiteSettings
from contact_center.tickets.classify import ClassifierRules, rules_from_setting


async def classifier_rules(conn: Conn) -> ClassifierRules:
    """The site's classifier rules as stored now."""
    settings = SiteSettings()  # site.load(conn) when the site settings store lands
    del conn
    return rules_from_setting(settings.classifier)

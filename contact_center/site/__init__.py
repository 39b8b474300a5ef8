"""The site's own settings that supervisors and admins edit in the console (business calendar,
clock targets, classifier phrases, lists): stored in the database, validated, versioned and
audited. Deployment settings stay in the environment (config.py); `load` reads both."""

from contact_center.site.model import SettingKey, SiteSettings
from contact_center.site.rules import CLOCK_KINDS, DEFAULTS, PRIORITIES, READ_ONLY, value_of
from contact_center.site.service import (
    business_calendar,
    calendar_before,
    calendar_of,
    load,
    record_environment,
    setting_history,
    update_setting,
)
from contact_center.site.store import SettingVersion

__all__ = [
    "CLOCK_KINDS",
    "DEFAULTS",
    "PRIORITIES",
    "READ_ONLY",
    "SettingKey",
    "SettingVersion",
    "SiteSettings",
    "business_calendar",
    "calendar_before",
    "calendar_of",
    "load",
    "record_environment",
    "setting_history",
    "update_setting",
    "value_of",
]

"""The site's own settings that supervisors and admins edit in the console (business calendar,
clock targets, classifier phrases, lists): stored in the database, validated, versioned and
audited. Deployment settings stay in the environment (config.py); `load` reads both."""

from contact_center.site.model import SettingKey, SiteSettings

__all__ = ["SettingKey", "SiteSettings"]

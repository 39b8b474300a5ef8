"""Who may see which live event: one pure rule, tightened here when access rules grow."""

from __future__ import annotations

from uuid import UUID

from contact_center.live.model import LiveEvent
from contact_center.users.model import Role

STAFF = frozenset({Role.AGENT, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN})
# Events about accounts (roles, tokens) concern the account's owner and the admins only.
PERSONAL_PREFIXES = ("user.", "token.")


def may_see(role: Role, user_id: UUID, event: LiveEvent) -> bool:
    """Whether the user with this role and id may receive the event.

    Today one site is one team: every staff role sees every ticket and customer (as
    `web.auth.access_ticket` and `access_customer` allow), so only personal events are narrowed.
    """
    if role not in STAFF:
        return False
    if event.name.startswith(PERSONAL_PREFIXES):
        return role is Role.ADMIN or str(event.payload.get("user_id")) == str(user_id)
    return True

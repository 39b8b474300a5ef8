"""Staff users, roles, passwords, console sessions and API tokens."""

from contact_center.users.model import Role, Session, User
from contact_center.users.service import (
    change_password,
    change_role,
    create_api_token,
    create_user,
    get_user,
    list_users,
    log_in,
    log_out,
    purge_expired_sessions,
    revoke_api_token,
    user_for_session,
    user_for_token,
)

__all__ = [
    "Role",
    "Session",
    "User",
    "change_password",
    "change_role",
    "create_api_token",
    "create_user",
    "get_user",
    "list_users",
    "log_in",
    "log_out",
    "purge_expired_sessions",
    "revoke_api_token",
    "user_for_session",
    "user_for_token",
]

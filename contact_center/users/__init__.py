"""Staff users, roles, passwords, console sessions and API tokens."""

from contact_center.users.credentials import Argon2Cost, Passwords
from contact_center.users.login import log_in
from contact_center.users.model import ApiToken, Role, Session, User
from contact_center.users.service import (
    change_own_password,
    change_password,
    change_role,
    create_api_token,
    create_user,
    get_user,
    list_api_tokens,
    list_users,
    log_out,
    passwords_for,
    purge_expired_sessions,
    revoke_api_token,
    set_locale,
    user_for_session,
    user_for_token,
)

__all__ = [
    "ApiToken",
    "Argon2Cost",
    "Passwords",
    "Role",
    "Session",
    "User",
    "change_own_password",
    "change_password",
    "change_role",
    "create_api_token",
    "create_user",
    "get_user",
    "list_api_tokens",
    "list_users",
    "log_in",
    "log_out",
    "passwords_for",
    "purge_expired_sessions",
    "revoke_api_token",
    "set_locale",
    "user_for_session",
    "user_for_token",
]

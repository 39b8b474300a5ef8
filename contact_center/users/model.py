"""User values and roles."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class Role(StrEnum):
    AGENT = "agent"
    ACCOUNT_MANAGER = "account_manager"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


@dataclass(frozen=True)
class User:
    id: UUID
    email: str
    name: str
    role: Role
    active: bool
    created_at: datetime
    locale: str = ""  # the console's language; empty follows the browser

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


@dataclass(frozen=True)
class Session:
    """A console session; `token` is only known at creation, the table keeps its hash."""

    token: str
    csrf_token: str
    user: User
    expires_at: datetime


@dataclass(frozen=True)
class ApiToken:
    """An API token as its owner sees it: never the secret, which only its creator saw once."""

    id: UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None

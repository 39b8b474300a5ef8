"""Audit values."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID


@dataclass(frozen=True)
class Actor:
    """Who did it: a user, or a named system part (`system:intake`, `cli:import`)."""

    label: str
    user_id: UUID | None = None

    @classmethod
    def system(cls, part: str) -> "Actor":
        return cls(label=f"system:{part}")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor_id: UUID | None
    actor_label: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

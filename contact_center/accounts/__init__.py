"""Account economics: value history, ABC tiering with overrides and moves, lifecycle stages,
the four health figures, and account tasks. The account row itself belongs to customers."""

from contact_center.accounts.health_service import (
    AccountHealth,
    Figure,
    account_health,
    lifecycle_changes,
    run_health,
)
from contact_center.accounts.model import (
    AccountTask,
    TaskKind,
    TaskState,
    ValueEntry,
    ValueKind,
)
from contact_center.accounts.stages import run_stages
from contact_center.accounts.tasks import cancel_open_tasks, close_task, list_tasks, open_task

__all__ = [
    "AccountHealth",
    "AccountTask",
    "Figure",
    "TaskKind",
    "TaskState",
    "ValueEntry",
    "ValueKind",
    "account_health",
    "cancel_open_tasks",
    "close_task",
    "lifecycle_changes",
    "list_tasks",
    "open_task",
    "run_health",
    "run_stages",
]

"""Account economics: value history, ABC tiering with overrides and moves, lifecycle stages,
the four health figures, and account tasks. The account row itself belongs to customers."""

from contact_center.accounts.model import (
    AccountTask,
    TaskKind,
    TaskState,
    ValueEntry,
    ValueKind,
)
from contact_center.accounts.tasks import cancel_open_tasks, close_task, list_tasks, open_task

__all__ = [
    "AccountTask",
    "TaskKind",
    "TaskState",
    "ValueEntry",
    "ValueKind",
    "cancel_open_tasks",
    "close_task",
    "list_tasks",
    "open_task",
]

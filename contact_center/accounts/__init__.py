"""Account economics: value history, ABC tiering with overrides and moves, lifecycle stages,
the four health figures, and account tasks. The account row itself belongs to customers."""

from contact_center.accounts.editing import (
    assign_manager,
    edit_customer,
    edit_organization,
)
from contact_center.accounts.health_service import (
    AccountHealth,
    Figure,
    account_health,
    health_card,
    lifecycle_changes,
    run_health,
)
from contact_center.accounts.model import (
    AccountTask,
    StoredValue,
    TaskKind,
    TaskState,
    ValueEntry,
    ValueKind,
)
from contact_center.accounts.overview import (
    AccountTier,
    KeyAccount,
    KeyAccountPage,
    Manager,
    TierMove,
    account_managers,
    account_tier,
    key_accounts,
    tier_moves,
)
from contact_center.accounts.stages import run_stages
from contact_center.accounts.tasks import cancel_open_tasks, close_task, list_tasks, open_task
from contact_center.accounts.tier_runs import (
    RunReport,
    finish_task,
    remove_override,
    run_tiers,
    set_override,
)
from contact_center.accounts.value_history import (
    AccountValues,
    LastRun,
    MonthTotal,
    account_values,
)
from contact_center.accounts.values import ImportResult, Rejected, import_csv, import_items

__all__ = [
    "AccountHealth",
    "AccountTask",
    "AccountTier",
    "AccountValues",
    "Figure",
    "ImportResult",
    "KeyAccount",
    "KeyAccountPage",
    "LastRun",
    "Manager",
    "MonthTotal",
    "Rejected",
    "RunReport",
    "StoredValue",
    "TaskKind",
    "TaskState",
    "TierMove",
    "ValueEntry",
    "ValueKind",
    "account_health",
    "account_managers",
    "account_tier",
    "account_values",
    "assign_manager",
    "cancel_open_tasks",
    "close_task",
    "edit_customer",
    "edit_organization",
    "finish_task",
    "health_card",
    "import_csv",
    "import_items",
    "key_accounts",
    "lifecycle_changes",
    "list_tasks",
    "open_task",
    "remove_override",
    "run_health",
    "run_stages",
    "run_tiers",
    "set_override",
    "tier_moves",
]

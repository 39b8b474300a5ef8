"""The one audit trail: who changed what, when, and the values before and after."""

from contact_center.audit.model import Actor, AuditEntry
from contact_center.audit.service import (
    changed_fields,
    list_entries,
    record_change,
    record_changes,
)

__all__ = [
    "Actor",
    "AuditEntry",
    "changed_fields",
    "list_entries",
    "record_change",
    "record_changes",
]

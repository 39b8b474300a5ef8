"""Merging duplicate customers: the card, its identities and its tickets, undoable from data."""

from contact_center.merges.preview import MergePreview, preview_merge
from contact_center.merges.rules import may_undo_merge
from contact_center.merges.service import latest_merge, merge_customers, unmerge_customer

__all__ = [
    "MergePreview",
    "latest_merge",
    "may_undo_merge",
    "merge_customers",
    "preview_merge",
    "unmerge_customer",
]

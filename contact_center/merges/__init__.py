"""Merging duplicate customers: the card, its identities and its tickets, undoable from data."""

from contact_center.merges.preview import MergePreview, preview_merge
from contact_center.merges.service import merge_customers, unmerge_customer

__all__ = ["MergePreview", "merge_customers", "preview_merge", "unmerge_customer"]

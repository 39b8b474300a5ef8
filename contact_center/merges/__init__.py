"""Merging duplicate customers: the card, its identities and its tickets, undoable from data."""

from contact_center.merges.service import merge_customers, unmerge_customer

__all__ = ["merge_customers", "unmerge_customer"]

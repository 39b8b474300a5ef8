"""Canned replies agents insert into the composer, with variables filled per ticket."""

from contact_center.canned.model import VARIABLES, CannedChannel, CannedReply, Rendered, render
from contact_center.canned.service import (
    create_canned,
    delete_canned,
    get_canned,
    list_canned,
    seed_canned,
    update_canned,
)

__all__ = [
    "VARIABLES",
    "CannedChannel",
    "CannedReply",
    "Rendered",
    "create_canned",
    "delete_canned",
    "get_canned",
    "list_canned",
    "render",
    "seed_canned",
    "update_canned",
]

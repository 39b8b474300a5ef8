"""The database: pool, transactions, embedded server and migrations."""

from contact_center.db.pool import Conn, Pool, create_pool
from contact_center.db.tx import transaction

__all__ = ["Conn", "Pool", "create_pool", "transaction"]

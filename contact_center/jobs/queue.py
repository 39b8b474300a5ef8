"""Enqueueing jobs inside the caller's transaction: the job exists exactly when the change does."""

from __future__ import annotations

from datetime import timedelta

from pgqueuer import Queries

from contact_center.db import Conn


async def enqueue_job(
    conn: Conn,
    entrypoint: str,
    payload: str,
    *,
    after: timedelta | None = None,
    dedupe_key: str | None = None,
) -> None:
    """Queue `entrypoint(payload)` on this connection, so it commits or rolls back with the
    caller's transaction. A dedupe key already queued makes this a no-op."""
    queries = Queries.from_asyncpg_connection(conn)  # type: ignore[arg-type]
    await queries.enqueue(
        entrypoint, payload.encode(), execute_after=after, dedupe_key=dedupe_key, on_conflict="skip"
    )

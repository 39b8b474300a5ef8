"""What a periodic job is: a name, a cron expression and a thin call into a service."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from contact_center.db import Pool


@dataclass(frozen=True)
class Periodic:
    name: str
    cron: str  # minute hour day month weekday, in UTC
    run: Callable[[Pool], Awaitable[object]]

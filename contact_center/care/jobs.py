"""The care folder's jobs: greetings of the day and broadcast sending."""

from __future__ import annotations

from contact_center.jobs.model import Periodic, Task

PERIODIC: list[Periodic] = []
TASKS: list[Task] = []

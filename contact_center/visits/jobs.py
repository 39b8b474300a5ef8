"""The visits folder's jobs: the nightly plan, visit reminders, missed visits."""

from __future__ import annotations

from contact_center.jobs.model import Periodic, Task

PERIODIC: list[Periodic] = []
TASKS: list[Task] = []

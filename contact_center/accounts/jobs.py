"""The accounts folder's scheduled jobs: the tier run, lifecycle stages and health figures."""

from __future__ import annotations

from contact_center.jobs.model import Periodic, Task

PERIODIC: list[Periodic] = []
TASKS: list[Task] = []

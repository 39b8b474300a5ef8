"""Background work: jobs declared beside their domain, run by one worker."""

from contact_center.jobs.model import JobContext, Periodic, Task
from contact_center.jobs.queue import enqueue_job

__all__ = ["JobContext", "Periodic", "Task", "enqueue_job"]

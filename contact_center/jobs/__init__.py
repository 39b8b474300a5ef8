"""Background work: periodic jobs declared beside their domain, run by one worker."""

from contact_center.jobs.model import Periodic

__all__ = ["Periodic"]

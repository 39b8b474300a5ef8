"""Read-only figures for supervisors' reports (complaints: volume, categories, time in each
step, breaches, satisfaction)."""

from contact_center.reports.service import complaint_figures

__all__ = ["complaint_figures"]

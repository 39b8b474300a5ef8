"""A customer's personal data: export, and erasure of the messages that name them outside
tickets; full erasure and retention build on the same map."""

from contact_center.privacy.service import erase_outbound, export_customer

__all__ = ["erase_outbound", "export_customer"]

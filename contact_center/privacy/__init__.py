"""A customer's personal data: export now; erasure and retention build on the same map."""

from contact_center.privacy.service import export_customer

__all__ = ["export_customer"]

"""Delivering outbox rows through the channel senders, and what follows an attempt.

It sits above `outbox` and `tickets` because a failed delivery leaves a note on the ticket,
while `tickets` itself writes to the outbox (acknowledgements, replies)."""

from contact_center.delivery.service import deliver_one, record_delivery_status, sweep

__all__ = ["deliver_one", "record_delivery_status", "sweep"]

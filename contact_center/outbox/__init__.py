"""The one outbox for every outbound SMS and email: rows first, delivered by a job after commit."""

from contact_center.outbox import policy
from contact_center.outbox.model import (
    AmbiguousSendError,
    DeliveryStatusUpdate,
    NewOutbound,
    OutboundChannel,
    OutboundMessage,
    OutboundStatus,
    PermanentSendError,
    ProviderReceipt,
    SendError,
    TransientSendError,
)
from contact_center.outbox.senders import Sender, Senders
from contact_center.outbox.service import (
    DELIVER_JOB,
    apply_provider_status,
    claim,
    enqueue,
    hold_sms_slot,
    list_due,
    lock_stale_sending,
    mark_failed_attempt,
    mark_sent,
    peek,
    requeue,
    statuses_for,
)

__all__ = [
    "DELIVER_JOB",
    "AmbiguousSendError",
    "DeliveryStatusUpdate",
    "NewOutbound",
    "OutboundChannel",
    "OutboundMessage",
    "OutboundStatus",
    "PermanentSendError",
    "ProviderReceipt",
    "SendError",
    "Sender",
    "Senders",
    "TransientSendError",
    "apply_provider_status",
    "claim",
    "enqueue",
    "hold_sms_slot",
    "list_due",
    "lock_stale_sending",
    "mark_failed_attempt",
    "mark_sent",
    "peek",
    "policy",
    "requeue",
    "statuses_for",
]

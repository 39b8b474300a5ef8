"""Event names: past-tense `noun.verb`, one list for the whole product."""

from enum import StrEnum


class Event(StrEnum):
    CUSTOMER_CREATED = "customer.created"
    CUSTOMER_UPDATED = "customer.updated"
    CUSTOMER_MERGED = "customer.merged"
    TICKET_OPENED = "ticket.opened"
    TICKET_UPDATED = "ticket.updated"
    MESSAGE_RECEIVED = "message.received"
    NOTE_ADDED = "note.added"
    REPLY_QUEUED = "reply.queued"
    DELIVERY_UPDATED = "delivery.updated"

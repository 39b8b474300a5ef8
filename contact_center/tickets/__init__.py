"""Tickets, the messages on them, and intake: the one path every inbound contact takes."""

from contact_center.tickets.intake import intake, keep_unparsed
from contact_center.tickets.model import (
    Channel,
    Direction,
    InboundContact,
    IntakeResult,
    Kind,
    Message,
    Priority,
    Status,
    Ticket,
    TicketFilter,
)
from contact_center.tickets.service import (
    TicketPage,
    add_note,
    customer_history,
    get_ticket,
    list_tickets,
    load_ticket,
    move_customer_tickets,
    open_ticket,
    restore_customer_tickets,
    update_ticket,
)

__all__ = [
    "Channel",
    "Direction",
    "InboundContact",
    "IntakeResult",
    "Kind",
    "Message",
    "Priority",
    "Status",
    "Ticket",
    "TicketFilter",
    "TicketPage",
    "add_note",
    "customer_history",
    "get_ticket",
    "intake",
    "keep_unparsed",
    "list_tickets",
    "load_ticket",
    "move_customer_tickets",
    "open_ticket",
    "restore_customer_tickets",
    "update_ticket",
]

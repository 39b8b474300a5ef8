"""Tickets, the messages on them, and intake: the one path every inbound contact takes."""

from contact_center.tickets.intake import intake, keep_unparsed
from contact_center.tickets.model import (
    Channel,
    Direction,
    InboundContact,
    IntakeOptions,
    IntakeResult,
    Kind,
    Message,
    Priority,
    Status,
    Ticket,
    TicketFilter,
)
from contact_center.tickets.options import intake_options, reply_options
from contact_center.tickets.replies import ReplyOptions, send_reply
from contact_center.tickets.service import (
    TicketPage,
    add_note,
    add_system_note,
    customer_history,
    get_ticket,
    list_tickets,
    list_unplaced,
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
    "IntakeOptions",
    "IntakeResult",
    "Kind",
    "Message",
    "Priority",
    "ReplyOptions",
    "Status",
    "Ticket",
    "TicketFilter",
    "TicketPage",
    "add_note",
    "add_system_note",
    "customer_history",
    "get_ticket",
    "intake",
    "intake_options",
    "keep_unparsed",
    "list_tickets",
    "list_unplaced",
    "load_ticket",
    "move_customer_tickets",
    "open_ticket",
    "reply_options",
    "restore_customer_tickets",
    "send_reply",
    "update_ticket",
]

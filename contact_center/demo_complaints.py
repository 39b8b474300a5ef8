"""Made-up demo complaints at different steps of the complaint workflow, one from a key
account, loaded through the product's own services."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from contact_center import tickets, users, workflows
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.customers import Customer
from contact_center.db import Pool
from contact_center.tickets import Channel, InboundContact
from contact_center.timeutil import utc_now

# (subject, text, the step it is moved to, the fields it needs on the way)
COMPLAINTS = [
    ("Kettle leaks", "The kettle I bought last week leaks from the base.", "acknowledged", {}),
    (
        "Late delivery again",
        "Our pallet order was promised for Monday and arrived on Thursday. Third time.",
        "triaged",
        {"category": "delivery"},
    ),
    (
        "Charged twice",
        "My card was charged twice for order 5521.",
        "investigating",
        {"category": "billing", "facts": "Two captures of the same amount on the same day."},
    ),
    (
        "Rude driver",
        "The driver shouted at my neighbour and threw the parcel over the gate.",
        "closed",
        {
            "category": "service_attitude",
            "facts": "Driver confirmed the delivery was rushed; the parcel was dented.",
            "resolution": "Apology, replacement sent, driver briefed by the carrier.",
            "callback_outcome": "Customer accepted the apology and the replacement.",
            "root_cause": "staff_conduct",
        },
    ),
]
PATH = ["acknowledged", "triaged", "investigating", "resolved", "callback_done", "closed"]


async def load_demo_complaints(
    pool: Pool, actor: Actor, settings: Settings, people: list[Customer], agents: list[users.User]
) -> int:
    """Open the demo complaints by mail to the complaints address (the first person is a
    key account's) and move each to its step; the number opened."""
    now = utc_now()
    options = dataclasses.replace(tickets.intake_options(settings), acknowledge=False)
    for n, (subject, text, step, fields) in enumerate(COMPLAINTS):
        person = people[n]
        opened = now - timedelta(hours=6 * (len(COMPLAINTS) - n))
        result = await tickets.intake(
            pool,
            InboundContact(
                channel=Channel.EMAIL,
                provider_id=f"demo-complaint-{n}",
                display_name=person.name,
                from_address=person.emails[0],
                to_address="complaints@" + settings.mail_domain,
                subject=subject,
                text=text,
            ),
            now=opened,
            options=options,
        )
        agent = agents[n % len(agents)]
        owner = Actor(label=f"user:{agent.email}", user_id=agent.id)
        if step == "acknowledged":
            continue
        await tickets.update_ticket(
            pool, owner, result.ticket_id, {"assignee_id": str(agent.id)}, now=opened
        )
        for minutes, to in enumerate(PATH[1 : PATH.index(step) + 1], start=1):
            await workflows.move_case(
                pool,
                owner,
                result.ticket_id,
                to,
                fields,
                now=opened + timedelta(minutes=20 * minutes),
            )
    return len(COMPLAINTS)

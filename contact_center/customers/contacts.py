"""Who to text about an account: its customers with a mobile number, the one who prefers SMS
first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from uuid import UUID

from contact_center.customers import contacts_store
from contact_center.customers.identities import takes_sms
from contact_center.db import Conn


@dataclass(frozen=True)
class SmsContact:
    organization_id: UUID
    customer_id: UUID
    name: str
    language: str
    mobile: str  # E.164
    opted_out: bool  # they sent STOP


async def sms_contacts(conn: Conn, organization_ids: Sequence[UUID]) -> dict[UUID, SmsContact]:
    """Per account, the customer to text: one with a mobile, preferring SMS as their channel,
    then the earliest card. Accounts without any mobile are absent."""
    ranked: dict[UUID, list[tuple[int, int, SmsContact]]] = defaultdict(list)
    for order, row in enumerate(await contacts_store.contacts(conn, organization_ids)):
        mobile = next((p for p in row["phones"] if takes_sms(p)), None)
        if mobile is None:
            continue
        contact = SmsContact(
            row["organization_id"],
            row["customer_id"],
            row["name"],
            row["language"],
            mobile,
            row["sms_opted_out"],
        )
        preference = 0 if row["preferred_channel"] == "sms" else 1
        ranked[row["organization_id"]].append((preference, order, contact))
    return {org: min(found, key=lambda t: t[:2])[2] for org, found in ranked.items()}

"""Contact per account, read for the account's lifecycle stage and health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from contact_center.db import Conn
from contact_center.tickets import account_store


@dataclass(frozen=True)
class AccountContact:
    last_contact_at: datetime  # the latest message in or out on any of the account's tickets
    tickets_since: int  # the account's tickets with a message in or out since `since`


async def contacts_by_account(
    conn: Conn, *, since: datetime, until: datetime
) -> dict[UUID, AccountContact]:
    """Per account with contact up to `until`: its last contact, and its tickets with contact
    from `since`."""
    found = await account_store.contacts_by_account(conn, since, until)
    return {org: AccountContact(last, count) for org, (last, count) in found.items()}

"""Every change to a card leaves an audit row saying who, when, before and after."""

from __future__ import annotations

from contact_center import audit, tickets
from contact_center.timeutil import utc_now
from tests.builders import make_customer, make_inbound_sms
from tests.conftest import SingleConnectionPool


async def test_sms_stop_and_start_are_audited_with_before_and_after(
    db: SingleConnectionPool,
) -> None:
    customer = await make_customer(db, name="林芳")
    for text in ["STOP", "START"]:
        sms = make_inbound_sms(from_address=customer.phones[0], text=text)
        await tickets.intake(db, sms, now=utc_now())
    trail = await audit.list_entries(db.conn, "customer", [str(customer.id)])
    changes = [(e.before, e.after) for e in trail if e.action == "sms_opt_out"]
    assert changes == [
        ({"sms_opted_out": False}, {"sms_opted_out": True}),
        ({"sms_opted_out": True}, {"sms_opted_out": False}),
    ]
    assert all(e.actor_label and e.at for e in trail)

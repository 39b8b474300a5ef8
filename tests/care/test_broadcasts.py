"""Broadcasts: preview counts, the rate limit, delivery figures, opt-out, cancel, restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from contact_center import care, merges, outbox
from contact_center.care import Segment
from contact_center.errors import Conflict
from contact_center.outbox import DeliveryStatusUpdate, Origin
from tests.builders import TEST_ACTOR, make_customer, make_organization
from tests.care.helpers import set_care
from tests.conftest import SingleConnectionPool

ORIGIN = Origin(sms_from="+12025550100", email_from="care@example.com")
NOW = datetime(2027, 6, 1, 10, 0, tzinfo=UTC)
KEY_A = Segment(tiers=("A",), key_accounts_only=True)


async def key_accounts(db: SingleConnectionPool, people: int) -> list[Any]:
    org = await make_organization(
        db,
        "华东贸易有限公司",
        tier="A",
        is_key_account=True,
        route_territory="East",
        lifecycle_stage="customer",
    )
    made = [
        await make_customer(db, f"客户 {i}", organization_id=org.id, language="zh")
        for i in range(people)
    ]
    other = await make_organization(db, "Small Shop", tier="C")
    await make_customer(db, "Not In Segment", organization_id=other.id)
    return made


async def start(db: SingleConnectionPool, segment: Segment = KEY_A, **kw: Any) -> care.Broadcast:
    args: dict[str, Any] = {
        "name": "Spring offer",
        "segment": segment,
        "body_en": "Our spring offer",
        "body_zh": "春季优惠",
        "channel": None,
    }
    args.update(kw)
    return await care.start_broadcast(db, TEST_ACTOR, now=NOW, **args)


async def recipients(db: SingleConnectionPool, broadcast_id: Any) -> list[dict[str, Any]]:
    async with db.acquire() as conn:
        rows = await conn.fetch(
            """SELECT r.customer_id, r.skipped, r.handled_at, m.body_text, m.purpose
               FROM broadcast_recipients r LEFT JOIN outbound_messages m ON m.id = r.outbound_id
               WHERE r.broadcast_id = $1""",
            broadcast_id,
        )
    return [dict(r) for r in rows]


async def test_preview_counts_the_segment_and_who_it_reaches(db: SingleConnectionPool) -> None:
    made = await key_accounts(db, 4)
    async with db.acquire() as conn:
        await conn.execute("UPDATE customers SET sms_opted_out = true WHERE id = $1", made[0].id)
        await conn.execute("DELETE FROM customer_identities WHERE customer_id = $1", made[1].id)
    await care.set_care_opt_out(db, TEST_ACTOR, made[2].id, True, now=NOW)
    # STOP and the card's "No care messages" are counted apart, as the figures name them.
    assert await care.preview(db, KEY_A) == care.Preview(
        count=4, reachable=1, opted_out=1, no_address=1, no_sender=0, care_opted_out=1
    )
    # Criteria combine with AND: a territory that does not match leaves nobody.
    assert (await care.preview(db, Segment(tiers=("A",), territories=("West",)))).count == 0
    assert (await care.preview(db, Segment(territories=("East",)))).count == 4
    assert (await care.preview(db, Segment(stages=("dormant",)))).count == 0
    assert (await care.preview(db, Segment())).count == 5


async def test_sending_keeps_the_rate_and_never_sends_twice(db: SingleConnectionPool) -> None:
    await key_accounts(db, 5)
    await set_care(db, rate_per_minute=2, now=NOW)
    made = await start(db)
    assert made.figures["total"] == 5 and made.figures["waiting"] == 5
    assert await care.send_batch(db, made.id, origin=ORIGIN, now=NOW) == "2 handled, 0 skipped"
    # Asked again within the minute (a duplicate job, a restart): nothing more goes.
    assert await care.send_batch(db, made.id, origin=ORIGIN, now=NOW + timedelta(seconds=30)) == (
        "not due yet"
    )
    assert len([r for r in await recipients(db, made.id) if r["handled_at"]]) == 2
    await care.send_batch(db, made.id, origin=ORIGIN, now=NOW + timedelta(minutes=1))
    await care.send_batch(db, made.id, origin=ORIGIN, now=NOW + timedelta(minutes=2))
    done = await care.get_broadcast(db, made.id)
    assert done.state is care.BroadcastState.DONE
    assert done.figures["queued"] == 5 and done.figures["waiting"] == 0
    rows = await recipients(db, made.id)
    assert all(r["body_text"] == "春季优惠" and r["purpose"] == "broadcast" for r in rows)
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM outbound_messages") == 5
    assert await care.send_batch(db, made.id, origin=ORIGIN, now=NOW + timedelta(minutes=9)) == (
        "broadcast " + str(made.id) + " is done"
    )


async def test_each_batch_queues_the_next_one_a_minute_later(db: SingleConnectionPool) -> None:
    await key_accounts(db, 3)
    await set_care(db, rate_per_minute=2, now=NOW)
    made = await start(db)
    await care.send_batch(db, made.id, origin=ORIGIN, now=NOW)
    async with db.acquire() as conn:
        jobs = await conn.fetch(
            "SELECT execute_after FROM pgqueuer WHERE entrypoint = 'broadcast-send'"
        )
    # The first job (still held by the worker in real life) and the next batch's.
    assert len(jobs) == 2
    assert max(j["execute_after"] for j in jobs) >= datetime.now(UTC) + timedelta(seconds=50)


async def test_delivery_figures_follow_the_outbox(db: SingleConnectionPool) -> None:
    made_people = await key_accounts(db, 3)
    await care.set_care_opt_out(db, TEST_ACTOR, made_people[0].id, True, now=NOW)
    made = await start(db, body_zh="")
    await care.send_batch(db, made.id, origin=ORIGIN, now=NOW)
    rows = [r for r in await recipients(db, made.id) if r["body_text"]]
    assert all(r["body_text"] == "Our spring offer" for r in rows)  # no Chinese text: English
    async with db.acquire() as conn:
        ids = [r["id"] for r in await conn.fetch("SELECT id FROM outbound_messages ORDER BY id")]
        await conn.execute(
            "UPDATE outbound_messages SET status = 'sent', provider_id = 'SM' || "
            "replace(id::text, '-', '') WHERE id = ANY($1)",
            ids,
        )
        for outbound_id, word in zip(ids, ("delivered", "undelivered"), strict=True):
            sid = await conn.fetchval(
                "SELECT provider_id FROM outbound_messages WHERE id = $1", outbound_id
            )
            await outbox.apply_provider_status(
                conn, DeliveryStatusUpdate(outbound_id, sid, word), now=NOW
            )
    figures = (await care.get_broadcast(db, made.id)).figures
    assert figures == {
        "total": 3,
        "waiting": 0,
        "queued": 0,
        "sent": 0,
        "delivered": 1,
        "failed": 1,
        "needs_review": 0,
        "withdrawn": 0,
        "no_sender": 0,
        "skipped": {"opted_out": 0, "care_opted_out": 1, "no_address": 0, "cancelled": 0},
    }


async def test_cancel_skips_those_not_yet_sent_to(db: SingleConnectionPool) -> None:
    await key_accounts(db, 3)
    await set_care(db, rate_per_minute=1, now=NOW)
    made = await start(db)
    await care.send_batch(db, made.id, origin=ORIGIN, now=NOW)
    cancelled = await care.cancel_broadcast(db, TEST_ACTOR, made.id, now=NOW)
    assert cancelled.state is care.BroadcastState.CANCELLED
    assert cancelled.figures["queued"] == 1 and cancelled.figures["skipped"]["cancelled"] == 2
    with pytest.raises(Conflict):
        await care.cancel_broadcast(db, TEST_ACTOR, made.id, now=NOW)
    assert "cancelled" in await care.send_batch(
        db, made.id, origin=ORIGIN, now=NOW + timedelta(minutes=5)
    )


async def test_the_rate_is_shared_by_broadcasts_sent_at_once(db: SingleConnectionPool) -> None:
    await key_accounts(db, 3)
    await set_care(db, rate_per_minute=2, now=NOW)
    first = await start(db, name="First")
    second = await start(db, name="Second")
    assert await care.send_batch(db, first.id, origin=ORIGIN, now=NOW) == "2 handled, 0 skipped"
    # The minute's two messages are gone: the second broadcast waits its turn.
    assert await care.send_batch(db, second.id, origin=ORIGIN, now=NOW) == "0 handled, 0 skipped"
    later = NOW + timedelta(minutes=1)
    assert await care.send_batch(db, second.id, origin=ORIGIN, now=later) == (
        "2 handled, 0 skipped"
    )
    assert (await care.get_broadcast(db, second.id)).figures["waiting"] == 1


async def test_a_merged_cards_wish_for_no_care_messages_holds(db: SingleConnectionPool) -> None:
    survivor, away = (await key_accounts(db, 2))[:2]
    await care.set_care_opt_out(db, TEST_ACTOR, away.id, True, now=NOW)
    await merges.merge_customers(db, TEST_ACTOR, survivor.id, away.id)
    assert await care.preview(db, KEY_A) == care.Preview(
        count=1, reachable=0, opted_out=0, no_address=0, care_opted_out=1
    )


async def test_without_an_sms_number_recipients_wait_and_are_not_skipped(
    db: SingleConnectionPool, caplog: Any
) -> None:
    made = await key_accounts(db, 3)
    async with db.acquire() as conn:
        await conn.execute(
            "INSERT INTO customer_identities (customer_id, kind, value) VALUES ($1, 'email', $2)",
            made[0].id,
            "first@example.com",
        )
    preview = await care.preview(db, KEY_A, can_sms=False)
    assert (preview.reachable, preview.no_address, preview.no_sender) == (1, 0, 2)
    no_sms = Origin(sms_from="", email_from="care@example.com")
    made_b = await start(db)
    with caplog.at_level("WARNING"):
        await care.send_batch(db, made_b.id, origin=no_sms, now=NOW)
    assert any("TWILIO_FROM_NUMBER" in r.getMessage() for r in caplog.records)
    waiting = await care.get_broadcast(db, made_b.id)
    assert waiting.state is care.BroadcastState.SENDING
    assert waiting.figures["no_sender"] == 2 and waiting.figures["waiting"] == 2
    assert waiting.figures["queued"] == 1 and waiting.figures["skipped"]["no_address"] == 0
    # A later batch still without a number sends nothing and skips nobody.
    await care.send_batch(db, made_b.id, origin=no_sms, now=NOW + timedelta(minutes=20))
    assert (await care.get_broadcast(db, made_b.id)).figures["no_sender"] == 2
    # Once the number is configured, the waiting recipients get their SMS and it finishes.
    await care.send_batch(db, made_b.id, origin=ORIGIN, now=NOW + timedelta(minutes=40))
    done = await care.get_broadcast(db, made_b.id)
    assert done.state is care.BroadcastState.DONE and done.figures["queued"] == 3
    assert done.figures["no_sender"] == 0


async def subjects(db: SingleConnectionPool, broadcast_id: Any) -> dict[str, str]:
    async with db.acquire() as conn:
        rows = await conn.fetch(
            """SELECT c.language, m.subject FROM broadcast_recipients r
               JOIN outbound_messages m ON m.id = r.outbound_id
               JOIN customers c ON c.id = r.customer_id WHERE r.broadcast_id = $1""",
            broadcast_id,
        )
    return {r["language"]: r["subject"] for r in rows}


async def test_the_email_subject_is_in_the_readers_language_not_the_broadcasts_name(
    db: SingleConnectionPool,
) -> None:
    org = await make_organization(db, "Harbour Trading", tier="A", is_key_account=True)
    for language, email in (("zh", "wang@example.com"), ("en", "ann@example.com")):
        await make_customer(db, email, organization_id=org.id, language=language, emails=[email])
    given = await start(
        db,
        name="Q3 price list (internal)",
        channel="email",
        body_en="Our new price list\nis attached.",
        body_zh="新价目表\n请见附件。",
        subject_en="New prices from July",
        subject_zh="七月起的新价格",
    )
    await care.send_batch(db, given.id, origin=ORIGIN, now=NOW)
    assert await subjects(db, given.id) == {"zh": "七月起的新价格", "en": "New prices from July"}
    # None given: each language's first line; no Chinese text: the English subject for all.
    derived = await start(db, name="Internal", channel="email", body_en="Our new price list\nx")
    assert (derived.subject_en, derived.subject_zh) == ("Our new price list", "春季优惠")
    english_only = await start(db, name="Internal", channel="email", body_zh="", body_en="Hello")
    assert (english_only.subject_en, english_only.subject_zh) == ("Hello", "Hello")
    await care.send_batch(db, english_only.id, origin=ORIGIN, now=NOW + timedelta(minutes=1))
    assert await subjects(db, english_only.id) == {"zh": "Hello", "en": "Hello"}

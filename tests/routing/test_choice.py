"""The pure routing decisions, without a database: order, choice of agent, widening, batches."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from contact_center.routing.choice import HEAD_START, Match, choose_agent, match, rank_items
from contact_center.routing.model import (
    Agent,
    ItemKind,
    ItemState,
    Presence,
    Priority,
    Queue,
    Strategy,
    WorkItem,
    Workload,
)

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
QUEUE = Queue(
    name="complaint",
    label="Complaints",
    kinds=["complaint"],
    is_default=False,
    skills=["complaints"],
    hours={},
    strategy=Strategy.LONGEST_IDLE,
    wait_limit_seconds=600,
    service_level_seconds=20,
    step_seconds=60,
    overflow_queue="general",
)
QUEUES = {"complaint": QUEUE, "general": replace(QUEUE, name="general", skills=[])}


def agent(**fields: object) -> Agent:
    values: dict[str, object] = {
        "user_id": uuid4(),
        "name": "Agent",
        "presence": Presence.AVAILABLE,
        "reason": "",
        "since": NOW,
        "skills": ("complaints",),
        "queues": (),
        "voice_capacity": 1,
        "messaging_capacity": 5,
        "voice_load": 0,
        "messaging_load": 0,
        "idle_since": NOW - timedelta(minutes=5),
    }
    values.update(fields)
    return Agent(**values)  # type: ignore[arg-type]


def item(**fields: object) -> WorkItem:
    values: dict[str, object] = {
        "id": uuid4(),
        "kind": ItemKind.CALL,
        "channel": "voice",
        "queue": "complaint",
        "priority": Priority.NORMAL,
        "enqueued_at": NOW,
        "state": ItemState.WAITING,
        "skills": ("complaints",),
    }
    values.update(fields)
    return WorkItem(**values)  # type: ignore[arg-type]


class TestOrder:
    def test_key_account_then_complaint_then_age(self) -> None:
        old = item(enqueued_at=NOW - timedelta(minutes=1))
        complaint = item(priority=Priority.HIGH)
        key = item(priority=Priority.URGENT, enqueued_at=NOW + timedelta(seconds=5))
        assert rank_items([old, complaint, key]) == [key, complaint, old]

    def test_an_item_waiting_longer_than_the_head_start_overtakes(self) -> None:
        patient = item(enqueued_at=NOW - HEAD_START[Priority.URGENT] - timedelta(seconds=1))
        urgent = item(priority=Priority.URGENT)
        assert rank_items([urgent, patient]) == [patient, urgent]

    def test_a_live_call_goes_before_queued_messages_however_old(self) -> None:
        backlog = item(
            kind=ItemKind.TICKET,
            channel="email",
            priority=Priority.URGENT,
            enqueued_at=NOW - timedelta(days=9),
        )
        call = item(enqueued_at=NOW + timedelta(seconds=5))
        earlier_call = item(enqueued_at=NOW)
        assert rank_items([backlog, call, earlier_call]) == [earlier_call, call, backlog]


class TestChoice:
    def test_the_preferred_agent_goes_first_even_without_the_skill(self) -> None:
        manager = agent(skills=(), idle_since=NOW)
        other = agent(idle_since=NOW - timedelta(hours=1))
        chosen = choose_agent(
            item(preferred_agent_ids=(manager.user_id,)), [other, manager], queue=QUEUE, now=NOW
        )
        assert chosen is not None and chosen.user_id == manager.user_id
        assert chosen.reason == "preferred"

    def test_an_unavailable_preferred_agent_is_skipped(self) -> None:
        manager = agent(presence=Presence.BUSY)
        other = agent()
        chosen = choose_agent(
            item(preferred_agent_ids=(manager.user_id,)), [manager, other], queue=QUEUE, now=NOW
        )
        assert chosen is not None and chosen.user_id == other.user_id

    def test_longest_idle_wins_and_full_agents_are_left_out(self) -> None:
        full = agent(voice_load=1, idle_since=NOW - timedelta(hours=2))
        idle = agent(idle_since=NOW - timedelta(hours=1))
        fresh = agent(idle_since=NOW)
        chosen = choose_agent(item(), [fresh, full, idle], queue=QUEUE, now=NOW)
        assert chosen is not None and chosen.user_id == idle.user_id

    def test_round_robin_takes_the_one_offered_least_recently(self) -> None:
        queue = replace(QUEUE, strategy=Strategy.ROUND_ROBIN)
        recent = agent(last_offered_at=NOW, idle_since=NOW - timedelta(hours=1))
        earlier = agent(last_offered_at=NOW - timedelta(minutes=1), idle_since=NOW)
        chosen = choose_agent(item(), [recent, earlier], queue=queue, now=NOW)
        assert chosen is not None and chosen.user_id == earlier.user_id

    def test_fewest_handled_today(self) -> None:
        queue = replace(QUEUE, strategy=Strategy.FEWEST_TODAY)
        busy = agent(handled_today=9, idle_since=NOW - timedelta(hours=1))
        quiet = agent(handled_today=2, idle_since=NOW)
        chosen = choose_agent(item(), [busy, quiet], queue=queue, now=NOW)
        assert chosen is not None and chosen.user_id == quiet.user_id

    def test_widening_drops_the_skill_then_adds_the_overflow_queue(self) -> None:
        no_skill = agent(skills=(), queues=("complaint",))
        overflow = agent(skills=(), queues=("general",))
        waiting = item()
        assert choose_agent(waiting, [no_skill, overflow], queue=QUEUE, now=NOW) is None
        later = NOW + timedelta(seconds=61)
        chosen = choose_agent(waiting, [overflow, no_skill], queue=QUEUE, now=later)
        assert chosen is not None and chosen.user_id == no_skill.user_id
        assert chosen.reason == "widened"
        latest = NOW + timedelta(seconds=121)
        chosen = choose_agent(waiting, [overflow], queue=QUEUE, now=latest)
        assert chosen is not None and chosen.user_id == overflow.user_id

    def test_an_agent_who_let_the_item_go_is_tried_last(self) -> None:
        declined = agent(idle_since=NOW - timedelta(hours=1))
        other = agent(idle_since=NOW)
        waiting = item(declined_by=frozenset({declined.user_id}))
        chosen = choose_agent(waiting, [declined, other], queue=QUEUE, now=NOW)
        assert chosen is not None and chosen.user_id == other.user_id
        alone = choose_agent(waiting, [declined], queue=QUEUE, now=NOW)
        assert alone is not None and alone.user_id == declined.user_id

    def test_tickets_take_messaging_capacity(self) -> None:
        busy = agent(messaging_load=4)
        ticket = item(kind=ItemKind.TICKET, channel="sms")
        assert ticket.workload is Workload.MESSAGING
        chosen = choose_agent(ticket, [busy], queue=QUEUE, now=NOW)
        assert chosen is not None
        full = replace(busy, messaging_load=5)
        assert choose_agent(ticket, [full], queue=QUEUE, now=NOW) is None

    def test_an_agent_on_the_phone_is_offered_no_messaging_work(self) -> None:
        on_a_call = agent(voice_load=1, messaging_load=0)
        ticket = item(kind=ItemKind.TICKET, channel="email")
        assert choose_agent(ticket, [on_a_call], queue=QUEUE, now=NOW) is None
        assert choose_agent(ticket, [replace(on_a_call, voice_load=0)], queue=QUEUE, now=NOW)


# -- properties --------------------------------------------------------------------------------

kinds = st.sampled_from([ItemKind.CALL, ItemKind.TICKET, ItemKind.CALLBACK])
priorities = st.sampled_from(list(Priority))


@st.composite
def items_strategy(draw: st.DrawFn) -> list[WorkItem]:
    n = draw(st.integers(0, 40))
    return [
        item(
            kind=draw(kinds),
            priority=draw(priorities),
            queue=draw(st.sampled_from(["complaint", "general"])),
            skills=draw(st.sampled_from([(), ("complaints",)])),
            enqueued_at=NOW - timedelta(seconds=draw(st.integers(0, 200))),
        )
        for _ in range(n)
    ]


@st.composite
def agents_strategy(draw: st.DrawFn) -> list[Agent]:
    n = draw(st.integers(0, 25))
    found = []
    for _ in range(n):
        voice = draw(st.integers(0, 2))
        messaging = draw(st.integers(0, 5))
        found.append(
            agent(
                presence=draw(st.sampled_from(list(Presence))),
                skills=draw(st.sampled_from([(), ("complaints",)])),
                voice_capacity=voice,
                voice_load=draw(st.integers(0, voice)),
                messaging_capacity=messaging,
                messaging_load=draw(st.integers(0, messaging)),
                idle_since=NOW - timedelta(seconds=draw(st.integers(0, 3600))),
            )
        )
    return found


@given(items_strategy(), agents_strategy())
@settings(max_examples=200, deadline=None)
def test_a_batch_never_doubles_an_offer_nor_exceeds_capacity(
    items: list[WorkItem], agents: list[Agent]
) -> None:
    pairs = match(items, agents, QUEUES, now=NOW)
    assert len({p.item_id for p in pairs}) == len(pairs)  # no item to two agents
    assert len({p.user_id for p in pairs}) == len(pairs)  # no agent two offers
    by_agent = {a.user_id: a for a in agents}
    by_item = {i.id: i for i in items}
    for pair in pairs:
        chosen = by_agent[pair.user_id]
        assert chosen.presence is Presence.AVAILABLE
        assert chosen.free(by_item[pair.item_id].workload) >= 1


def match_one_by_one(
    items: list[WorkItem], agents: list[Agent], queues: dict[str, Queue]
) -> list[Match]:
    """The plain statement of a batch: each item in rank order to `choose_agent`'s choice
    among the agents not yet chosen."""
    free = {a.user_id: a for a in agents}
    found = []
    for waiting in rank_items(items):
        chosen = choose_agent(waiting, free.values(), queue=queues.get(waiting.queue), now=NOW)
        if chosen is not None:
            found.append(Match(waiting.id, chosen.user_id, chosen.reason))
            del free[chosen.user_id]
    return found


@given(items_strategy(), agents_strategy(), st.sampled_from(list(Strategy)), st.data())
@settings(max_examples=300, deadline=None)
def test_the_batch_matcher_chooses_as_choose_agent_does(
    items: list[WorkItem], agents: list[Agent], strategy: Strategy, data: st.DataObject
) -> None:
    ids = [a.user_id for a in agents]
    if ids:  # preferred agents and agents who let an item go, among those here
        some = st.lists(st.sampled_from(ids), max_size=3)
        items = [
            replace(
                i,
                preferred_agent_ids=tuple(data.draw(some)),
                declined_by=frozenset(data.draw(some)),
            )
            for i in items
        ]
    queues = {name: replace(q, strategy=strategy) for name, q in QUEUES.items()}
    assert match(items, agents, queues, now=NOW) == match_one_by_one(items, agents, queues)


@given(items_strategy(), agents_strategy())
@settings(max_examples=200, deadline=None)
def test_a_batch_leaves_no_item_waiting_that_a_free_agent_could_take(
    items: list[WorkItem], agents: list[Agent]
) -> None:
    """Maximal, not just safe: a skipped item had nobody left who could take it."""
    pairs = match(items, agents, QUEUES, now=NOW)
    used = {p.user_id for p in pairs}
    matched = {p.item_id for p in pairs}
    left = [a for a in agents if a.user_id not in used]
    for waiting in items:
        if waiting.id not in matched:
            assert choose_agent(waiting, left, queue=QUEUES[waiting.queue], now=NOW) is None


@given(st.integers(2, 12), st.integers(20, 200), st.sampled_from(list(Strategy)))
@settings(max_examples=60, deadline=None)
def test_equal_agents_share_the_work_evenly(agents_n: int, rounds: int, strategy: Strategy) -> None:
    """Agents alike in skills and capacity get offers within one of each other, whatever
    the strategy, when each takes its item and finishes it before the next round."""
    queue = replace(QUEUE, strategy=strategy)
    team = [agent(idle_since=NOW) for _ in range(agents_n)]
    counts: Counter[UUID] = Counter()
    clock = NOW
    for _ in range(rounds):
        clock += timedelta(seconds=1)
        (pair,) = match([item(enqueued_at=clock)], team, {"complaint": queue}, now=clock)
        counts[pair.user_id] += 1
        team = [
            replace(
                a,
                last_offered_at=clock,
                idle_since=clock,
                handled_today=a.handled_today + 1,
            )
            if a.user_id == pair.user_id
            else a
            for a in team
        ]
    per_agent = [counts[a.user_id] for a in team]
    assert max(per_agent) - min(per_agent) <= 1


@given(
    st.lists(priorities, min_size=1, max_size=30),
    st.sampled_from([Priority.LOW, Priority.NORMAL]),
)
@settings(max_examples=100, deadline=None)
def test_aging_means_nothing_starves(arrivals: list[Priority], own: Priority) -> None:
    """One agent, one item served per minute, a new item every minute of any priority:
    an old low-priority item is served within the head-start gap plus the line ahead."""
    patient = item(priority=own, enqueued_at=NOW)
    waiting = [patient]
    clock = NOW
    bound = HEAD_START[Priority.URGENT] - HEAD_START[own]
    for minute in range(90):
        clock = NOW + timedelta(minutes=minute + 1)
        waiting.append(item(priority=arrivals[minute % len(arrivals)], enqueued_at=clock))
        (first, *_rest) = rank_items(waiting)
        waiting.remove(first)
        if first is patient:
            break
    else:
        raise AssertionError("the patient item was never served")
    assert clock - NOW <= bound + timedelta(minutes=1)

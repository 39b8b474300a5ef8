"""scripts/simulate.py's plan and summary, without a running service."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

import simulate


def test_the_summary_counts_follow_ups_so_the_acknowledgements_add_up() -> None:
    plan = simulate.make_plan(10, 5, 0.3, random.Random(7))
    follow_ups = simulate.count_follow_ups(plan)
    senders = {m.sender for m in plan}
    # Every message that is not a follow-up opens a conversation of its own sender.
    assert len(plan) - sum(follow_ups.values()) == len(senders)
    assert sum(follow_ups.values()) > 0
    outcomes = simulate.Outcomes(follow_ups=follow_ups)
    outcomes.latencies["sms"].extend([0.01] * 10)
    outcomes.latencies["email"].extend([0.01] * 5)
    text = simulate.summary(outcomes, 1.0)
    total = sum(follow_ups.values())
    assert f"{total} of them followed up an earlier conversation" in text
    assert f"{15 - total} opened new conversations" in text


def test_calls_are_planned_with_a_menu_key_or_silence_for_each_attempt() -> None:
    import simulate_calls

    calls = simulate_calls.plan_calls(4, ["+12023000001"] * 4, random.Random(3))
    assert len(calls) == 4
    assert all(len(c.keys) == 2 and set(c.keys) <= set(simulate_calls.KEYS) for c in calls)
    assert len({c.sid for c in calls}) == 4
    assert all(c.sid.startswith("CA") and len(c.sid) == 34 for c in calls)

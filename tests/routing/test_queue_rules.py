"""The rules for a queue's settings, alone and among the other queues. No database."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from contact_center.errors import Invalid
from contact_center.routing import Queue, Strategy
from contact_center.routing.queue_rules import changed_queue, check_queues, new_queue

KINDS = ["inquiry", "complaint", "order", "other"]


def queue(name: str, **fields: Any) -> Queue:
    return new_queue({"name": name, **fields}, ticket_kinds=KINDS)


class TestOneQueue:
    def test_a_new_queue_takes_the_defaults_and_its_name_as_label(self) -> None:
        made = queue("returns")
        assert made.label == "returns"
        assert made.strategy is Strategy.LONGEST_IDLE
        assert made.hours["mon"] == [["08:00", "18:00"]]
        assert "sat" not in made.hours
        assert (made.wait_limit_seconds, made.service_level_seconds, made.step_seconds) == (
            600,
            20,
            120,
        )

    def test_fields_are_tidied(self) -> None:
        made = queue(
            "vip",
            label="  Key   accounts ",
            skills=[" vip ", "vip", "", "chinese"],
            kinds=["order", "order"],
            hours={"tue": [["13:00", "18:00"], ["08:00", "12:00"]]},
        )
        assert made.label == "Key accounts"
        assert made.skills == ["vip", "chinese"]
        assert made.kinds == ["order"]
        assert made.hours == {"tue": [["08:00", "12:00"], ["13:00", "18:00"]]}

    @pytest.mark.parametrize(
        ("fields", "field", "says"),
        [
            ({"name": "Returns"}, "name", "lower-case"),
            ({"name": "9lives"}, "name", "starting with a letter"),
            ({"name": "a/b"}, "name", "lower-case"),
            ({"name": "x" * 61}, "name", "1 to 60"),
            ({"kinds": ["refund"]}, "kinds", "'refund' is not a ticket kind"),
            ({"kinds": "order"}, "kinds", "list of text"),
            ({"strategy": "random"}, "strategy", "longest_idle, round_robin, fewest_today"),
            ({"wait_limit_seconds": 0}, "wait_limit_seconds", "from 1 to 86400"),
            ({"service_level_seconds": -5}, "service_level_seconds", "from 1 to 3600"),
            ({"step_seconds": 1.5}, "step_seconds", "whole number"),
            ({"step_seconds": True}, "step_seconds", "whole number"),
            ({"hours": {"mon": [["18:00", "08:00"]]}}, "hours", "ends before it starts"),
            ({"is_default": "yes"}, "is_default", "true or false"),
            ({"skills": ["x" * 61]}, "skills", "at most 60"),
            ({"label": "x" * 101}, "label", "at most 100"),
            ({"colour": "red"}, "colour", "unknown field"),
        ],
    )
    def test_bad_fields_are_refused_by_name(
        self, fields: dict[str, Any], field: str, says: str
    ) -> None:
        with pytest.raises(Invalid) as refused:
            queue(fields.pop("name", "returns"), **fields)
        assert refused.value.field == field
        assert says in refused.value.message

    def test_a_change_keeps_what_it_does_not_name(self) -> None:
        before = queue("returns", skills=["returns"], step_seconds=60)
        after = changed_queue(before, {"label": "Returns desk"}, ticket_kinds=KINDS)
        assert after == replace(before, label="Returns desk")

    def test_a_blank_overflow_is_none(self) -> None:
        assert queue("returns", overflow_queue="").overflow_queue is None


class TestAmongQueues:
    def general(self) -> Queue:
        return queue("general", is_default=True, kinds=["inquiry", "other"])

    def test_the_seeded_shape_passes(self) -> None:
        check_queues(
            [
                self.general(),
                queue("complaint", kinds=["complaint"], overflow_queue="general"),
                queue("order", kinds=["order"], overflow_queue="general"),
            ]
        )

    def test_no_default_or_two_defaults_is_refused(self) -> None:
        with pytest.raises(Invalid, match="exactly one queue is the default"):
            check_queues([replace(self.general(), is_default=False), queue("order")])
        with pytest.raises(Invalid, match="exactly one queue is the default"):
            check_queues([self.general(), queue("order", is_default=True)])

    def test_a_kind_lands_in_one_queue_only(self) -> None:
        with pytest.raises(Invalid, match="'other' is already taken by queue 'general'"):
            check_queues([self.general(), queue("misc", kinds=["other"])])

    def test_overflow_to_a_missing_queue(self) -> None:
        with pytest.raises(Invalid, match="no such queue: nowhere"):
            check_queues([self.general(), queue("order", overflow_queue="nowhere")])

    def test_overflow_round_in_a_circle(self) -> None:
        with pytest.raises(Invalid, match="circle: a → b → c → a") as refused:
            check_queues(
                [
                    self.general(),
                    queue("a", overflow_queue="b"),
                    queue("b", overflow_queue="c"),
                    queue("c", overflow_queue="a"),
                ]
            )
        assert refused.value.field == "overflow_queue"

    def test_overflow_to_itself(self) -> None:
        with pytest.raises(Invalid, match="circle: general → general"):
            check_queues([replace(self.general(), overflow_queue="general")])

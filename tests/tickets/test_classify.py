"""The complaint classifier on real-shaped texts, its confidence and its settings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from contact_center import site
from contact_center.errors import Invalid
from contact_center.tickets.classify import (
    DEFAULT_RULES,
    MAX_CLASSIFIED_CHARS,
    MAX_CONFIDENCE,
    ClassifierRules,
    Phrase,
    classify,
    confidence,
    rules_from_setting,
)
from contact_center.tickets.model import Kind
from contact_center.workflows.model import CaseSource

COMPLAINTS = [
    "This is unacceptable, I want a refund",
    "I want to make a formal complaint about your driver.",
    "Three complaints already and nobody called me back!",
    "I am not happy with the repair, I want my money back",
    "Your staff were RUDE and the parcel arrived damaged. Refund please.",
    "I complained last week, still waiting for an answer. Unacceptable.",
    "店员态度很差，我要投诉。",
    "我要投诉你们！快递破损了",
    "你们的服务太差了，我要退款",
    "对处理结果很不满意，再不解决就打12315",
    "Order #4411 arrived broken. 我要投诉。",
    "Complaint: 快递破损 and no reply for a week",
    "no refund yet, still waiting",
    "I want to complain",
    "投诉",
    "态度太差",
    "The food was terrible and the waiter was rude.",
]
NOT_COMPLAINTS = [
    ("No complaints, thanks! The new fridge works well.", Kind.INQUIRY),
    ("I'm not disappointed at all, just asking about opening hours", Kind.INQUIRY),
    ("It isn't broken, I only want to know how to reset it", Kind.INQUIRY),
    ("What are your opening hours?", Kind.INQUIRY),
    ("服务态度很好，谢谢", Kind.INQUIRY),
    ("不是投诉，只是问一下营业时间", Kind.INQUIRY),
    ("Please reorder 40 cases of the same water", Kind.ORDER),
    ("Please send a quote for 40 cases", Kind.ORDER),
    ("我想下单二十箱矿泉水", Kind.ORDER),
    ("Is the border crossing open for deliveries?", Kind.ORDER),
    ("Can you recommend a good rudder supplier?", Kind.INQUIRY),
    # one word that needs company is not a complaint on its own
    ("Hi, how do I get a refund for a gift I bought twice?", Kind.INQUIRY),
    ("我想申请退款", Kind.INQUIRY),
    ("The weather is terrible today, will the courier still come?", Kind.INQUIRY),
    ("请问相机的曝光怎么调？", Kind.INQUIRY),
    ("Thank you for not being rude when I called yesterday.", Kind.INQUIRY),
    ("Which is the worst time of day to call you?", Kind.INQUIRY),
]


@pytest.mark.parametrize("text", COMPLAINTS)
def test_complaints_in_english_chinese_and_mixed_text_are_recognised(text: str) -> None:
    result = classify(text)
    assert result.kind is Kind.COMPLAINT
    assert result.source is CaseSource.CLASSIFIER
    assert DEFAULT_RULES.threshold <= result.confidence <= MAX_CONFIDENCE
    assert result.matched


@pytest.mark.parametrize(("text", "kind"), NOT_COMPLAINTS)
def test_negations_praise_and_orders_are_not_complaints(text: str, kind: Kind) -> None:
    result = classify(text)
    assert result.kind is kind
    assert result.source is None
    assert result.confidence < DEFAULT_RULES.threshold


def test_mail_to_the_complaints_address_is_certain() -> None:
    result = classify("Hello", "Question", "Complaints@shop.example")
    assert (result.kind, result.confidence, result.source) == (
        Kind.COMPLAINT,
        1.0,
        CaseSource.ADDRESS,
    )


def test_words_give_the_matched_phrases_and_combined_confidence() -> None:
    result = classify("This is unacceptable, I want a refund")
    assert result.matched == ("unacceptable", "refund")
    assert result.confidence == pytest.approx(1 - 0.4 * 0.7)


def test_latin_phrases_match_whole_words_with_english_endings() -> None:
    rules = ClassifierRules(threshold=0.5, phrases=(Phrase("order", 0.9),))
    assert classify("my orders are late", rules=rules).matched == ("order",)
    assert classify("I ordered twice", rules=rules).matched == ("order",)
    for text in ("please reorder", "a disorder", "the border", "ordinary"):
        assert classify(text, rules=rules).matched == ()


def test_latin_phrases_ignore_case_punctuation_between_words_and_full_width_letters() -> None:
    rules = ClassifierRules(threshold=0.5, phrases=(Phrase("money back", 0.9),))
    assert classify("MONEY-BACK now", rules=rules).kind is Kind.COMPLAINT
    assert classify("ｍｏｎｅｙ back", rules=rules).kind is Kind.COMPLAINT


def test_chinese_phrases_match_inside_a_sentence_without_spaces() -> None:
    assert classify("你们的快递又坏了我很生气").matched == ("生气", "坏了")


def test_a_weak_phrase_alone_stays_below_the_threshold() -> None:
    result = classify("The box was broken when it came, can you send another?")
    assert result.matched == ("broken",)
    assert result.kind is Kind.INQUIRY


def test_the_subject_counts_as_much_as_the_text() -> None:
    assert classify("see below", subject="Formal complaint").kind is Kind.COMPLAINT


def test_a_higher_threshold_needs_more_evidence() -> None:
    strict = ClassifierRules(threshold=0.9, phrases=DEFAULT_RULES.phrases)
    assert classify("I want a refund", rules=strict).kind is Kind.INQUIRY
    text = "Unacceptable! I want a refund, this is a formal complaint"
    assert classify(text, rules=strict).kind is Kind.COMPLAINT


def test_words_never_reach_certainty() -> None:
    text = " ".join(p.text for p in DEFAULT_RULES.phrases)
    assert classify(text).confidence == MAX_CONFIDENCE


def test_the_default_setting_gives_the_default_rules() -> None:
    assert rules_from_setting(DEFAULT_RULES.setting()) == DEFAULT_RULES


def test_a_phrase_listed_twice_is_refused_by_the_site_naming_the_second() -> None:
    with pytest.raises(Invalid) as refused:
        site.check_setting(
            "classifier",
            {"phrases": [{"text": "Refund", "weight": 0.5}, {"text": " refund", "weight": 0.2}]},
        )
    assert refused.value.field == "classifier.phrases.1.text"


weights = st.floats(min_value=0.01, max_value=1.0)
words = st.sampled_from(
    ["refund", "rude", "late", "投诉", "太差", "hello", "not happy", "order", "no", "谢谢"]
)
phrase_lists = st.lists(st.tuples(words, weights), max_size=6, unique_by=lambda p: p[0])


@given(phrase_lists, words, weights, st.lists(words, max_size=8))
def test_adding_a_phrase_never_lowers_confidence(
    phrases: list[tuple[str, float]], extra: str, weight: float, text: list[str]
) -> None:
    before = ClassifierRules(0.5, tuple(Phrase(t, w) for t, w in phrases))
    if any(t == extra for t, _ in phrases):
        return
    after = ClassifierRules(0.5, (*before.phrases, Phrase(extra, weight)))
    sentence = " ".join(text)
    assert classify(sentence, rules=after).confidence >= classify(sentence, rules=before).confidence


@given(st.lists(weights, max_size=10))
def test_confidence_stays_between_the_largest_weight_and_the_cap(ws: list[float]) -> None:
    score = confidence(ws)
    assert 0 <= score <= MAX_CONFIDENCE
    if ws:
        assert score >= min(max(ws), MAX_CONFIDENCE) - 1e-4


def test_a_phrase_listed_twice_counts_once_with_its_larger_weight() -> None:
    rules = ClassifierRules(0.5, (Phrase("late", 0.3), Phrase("late", 0.4)))
    result = classify("late again", rules=rules)
    assert (result.matched, result.confidence) == (("late",), 0.4)


def test_only_the_start_of_a_long_text_is_read() -> None:
    filler = "All fine here. " * (MAX_CLASSIFIED_CHARS // 15 + 1)
    assert classify("Unacceptable! " + filler).kind is Kind.COMPLAINT
    assert classify(filler + "Unacceptable! I want a refund").kind is Kind.INQUIRY

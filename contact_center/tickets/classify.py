"""First guess at a ticket's kind from what the customer wrote: a phrase classifier whose
phrases and weights are a site setting (`classifier`). Pure; agents can change the kind, and
undo a complaint the classifier made.

Matching: Latin phrases match whole words, case-insensitively, with the usual English endings
on the last word ("complaint" finds "complaints", "refund" finds "refunded"; "order" never
finds "reorder" or "border"); phrases in Chinese (or any CJK script) match as substrings.
A phrase right after a negation ("no complaints, thanks", "not disappointed", "not being rude",
"不是投诉") does not count; phrases that carry their own negation ("not happy", "no refund")
are listed as phrases. Confidence = 1 − Π(1 − weight) over the distinct phrases found, capped
below 1: a further match never lowers it. Mail to the complaints address is a complaint for certain.
The subject and the first MAX_CLASSIFIED_CHARS characters of the text are read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from contact_center.site.classifier_defaults import DEFAULT_PHRASES, DEFAULT_THRESHOLD
from contact_center.tickets.model import Kind
from contact_center.workflows.model import CaseSource

# Words alone never make a complaint certain: only the address does.
MAX_CONFIDENCE = 0.99
# Only the start of a text is read: intake runs on the event loop, and a complaint says so
# early (a multi-megabyte mail would otherwise hold the loop for seconds).
MAX_CLASSIFIED_CHARS = 20_000

ORDER_WORDS = (
    "order",
    "reorder",
    "purchase",
    "buy",
    "quote",
    "invoice",
    "delivery",
    "订单",
    "订货",
    "下单",
    "发货",
)

CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
# A letter or digit of a Latin-script word: what may not touch a Latin phrase on either side.
WORD_CHAR = r"0-9a-z\u00c0-\u024f"
ENDINGS = r"(?:s|es|d|ed|ing)?"
LATIN_NEGATION = re.compile(
    r"(?:\b(?:no|not|never|without|nothing|hardly|zero)|n't)\s+"
    r"(?:(?:a|an|any|the|real|really|much|more|major|big|further|other|at|being|been|be)\s+)?$"
)
CJK_NEGATIONS = ("不是", "并非", "不想", "没什么", "没有什么", "无意")


@dataclass(frozen=True)
class Phrase:
    text: str
    weight: float  # 0 < weight <= 1: how sure this phrase alone makes a complaint


@dataclass(frozen=True)
class ClassifierRules:
    threshold: float = DEFAULT_THRESHOLD
    phrases: tuple[Phrase, ...] = tuple(Phrase(t, w) for t, w in DEFAULT_PHRASES)

    def setting(self) -> dict[str, Any]:
        """The rules as the `classifier` site setting stores them."""
        return {
            "threshold": self.threshold,
            "phrases": [{"text": p.text, "weight": p.weight} for p in self.phrases],
        }


DEFAULT_RULES = ClassifierRules()


@dataclass(frozen=True)
class Classification:
    kind: Kind
    confidence: float  # that the text is a complaint, 0 to 1 (1 only for the address)
    matched: tuple[str, ...]  # the complaint phrases found, in the rules' order
    source: CaseSource | None  # why a complaint is one; None when it is not a complaint


def classify(
    text: str, subject: str = "", to_address: str = "", *, rules: ClassifierRules = DEFAULT_RULES
) -> Classification:
    """Complaint first: a complaint mislabelled as an order misses its deadlines."""
    address = to_address.strip().lower()
    haystack = normalized(f"{subject[:MAX_CLASSIFIED_CHARS]}\n{text[:MAX_CLASSIFIED_CHARS]}")
    weights: dict[str, float] = {}  # distinct phrases found, the larger weight of a repeat
    for phrase in rules.phrases:
        if found(phrase.text, haystack):
            weights[phrase.text] = max(phrase.weight, weights.get(phrase.text, 0.0))
    matched = tuple(weights)
    if address.startswith("complaints@"):
        return Classification(Kind.COMPLAINT, 1.0, matched, CaseSource.ADDRESS)
    score = confidence(weights.values())
    if matched and score >= rules.threshold:
        return Classification(Kind.COMPLAINT, score, matched, CaseSource.CLASSIFIER)
    if address.startswith("orders@") or any(found(w, haystack) for w in ORDER_WORDS):
        return Classification(Kind.ORDER, score, matched, None)
    return Classification(Kind.INQUIRY, score, matched, None)


def confidence(weights: Iterable[float]) -> float:
    """1 − Π(1 − w): independent signals that each make a complaint more likely."""
    doubt = 1.0
    for weight in weights:
        doubt *= 1.0 - weight
    return round(min(1.0 - doubt, MAX_CONFIDENCE), 4)


def normalized(text: str) -> str:
    """Full-width letters and digits as ASCII, lower case, one kind of apostrophe."""
    return unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'")


def found(phrase: str, haystack: str) -> bool:
    """Whether `phrase` occurs in the normalized `haystack` without a negation before it."""
    key = normalized(phrase).strip()
    if not key:
        return False
    if CJK.search(key):
        return any(
            not haystack[:at].endswith(CJK_NEGATIONS) for at in _substring_starts(key, haystack)
        )
    return any(
        not LATIN_NEGATION.search(haystack[max(0, m.start() - 40) : m.start()])
        for m in _latin_pattern(key).finditer(haystack)
    )


def _substring_starts(key: str, haystack: str) -> Iterable[int]:
    at = haystack.find(key)
    while at >= 0:
        yield at
        at = haystack.find(key, at + 1)


@lru_cache(maxsize=2048)
def _latin_pattern(key: str) -> re.Pattern[str]:
    words = [re.escape(w) for w in key.split()]
    if key.endswith("y") and len(key) > 2:  # delivery, deliveries
        words[-1] = f"{words[-1][:-1]}(?:y|ies)"
    body = r"[\s\-,.]+".join(words)
    return re.compile(rf"(?<![{WORD_CHAR}]){body}{ENDINGS}(?![{WORD_CHAR}])")


def rules_from_setting(value: Mapping[str, Any]) -> ClassifierRules:
    """The rules of a `classifier` setting as `site` gives it: already checked when saved and
    when read (`site.load` falls back to the defaults for a stored value that fails)."""
    return ClassifierRules(
        threshold=float(value["threshold"]),
        phrases=tuple(Phrase(p["text"], float(p["weight"])) for p in value["phrases"]),
    )

"""Whether two customer cards look like one person, and why. Pure: cards in, a score out.

Evidence is a list of reasons, each with a weight; the score combines them as independent
signs (1 − ∏(1 − w)). A similar name counts on its own only within one organization: across
the whole base, common names (张伟, Li Wei) are shared by different people.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from uuid import UUID

import phonenumbers

from contact_center.customers.model import Customer

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
NOT_WORD = re.compile(r"[^\w]+")
# Mailboxes of a role, not of a person: sharing one says nothing about who writes.
ROLE_MAILBOXES = frozenset(
    {
        "admin", "billing", "contact", "enquiries", "hello", "hr", "info", "kefu", "mail",
        "marketing", "no-reply", "noreply", "office", "orders", "sales", "service", "support",
        "webmaster",
    }
)  # fmt: skip
MIN_LOCAL_PART = 3
SIMILAR_NAME = 0.8  # name similarity from which a name counts as evidence
MIN_SCORE = 0.45


class ReasonCode(StrEnum):
    SAME_PHONE_NUMBER = "same_phone_number"  # one national number under two country codes
    SAME_EMAIL_NAME = "same_email_name"  # one local part at two domains
    SIMILAR_NAME_IN_ORGANIZATION = "similar_name_in_organization"
    SIMILAR_NAME = "similar_name"  # only alongside other evidence


WEIGHTS = {
    ReasonCode.SAME_PHONE_NUMBER: 0.7,
    ReasonCode.SAME_EMAIL_NAME: 0.5,
    ReasonCode.SIMILAR_NAME_IN_ORGANIZATION: 0.6,
    ReasonCode.SIMILAR_NAME: 0.3,
}


@dataclass(frozen=True)
class Reason:
    code: ReasonCode
    a: str  # the value on the first card
    b: str  # the value on the second card
    weight: float


@dataclass(frozen=True)
class Suggestion:
    a: UUID  # the smaller id of the pair
    b: UUID
    score: float
    reasons: list[Reason]


def normalize_name(name: str) -> str:
    """Case, accents, punctuation and width folded; Chinese names without spaces."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    words = " ".join(w for w in NOT_WORD.split(text.replace("_", " ")) if w)
    return words.replace(" ", "") if CJK.search(words) else words


def edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _ratio(a: str, b: str) -> float:
    longest = max(len(a), len(b))
    return 1.0 if longest == 0 else 1 - edit_distance(a, b) / longest


def _tokens_match(a: list[str], b: list[str]) -> bool:
    """Same words in any order, a single letter standing for a word (`K Dunmore`)."""
    if len(a) != len(b):
        return False
    rest = list(b)
    for word in sorted(a, key=len, reverse=True):
        found = next(
            (w for w in rest if w == word or (min(len(w), len(word)) == 1 and w[0] == word[0])),
            None,
        )
        if found is None:
            return False
        rest.remove(found)
    return True


def name_similarity(a: str, b: str) -> float:
    """1.0 for the same name however written; otherwise edit distance or word overlap."""
    na, nb = normalize_name(a), normalize_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    if CJK.search(na) or CJK.search(nb):
        return _ratio(na, nb)
    ta, tb = na.split(), nb.split()
    if sorted(ta) == sorted(tb):
        return 1.0
    if _tokens_match(ta, tb):
        return 0.9
    overlap = len(set(ta) & set(tb)) / len(set(ta) | set(tb))
    return max(_ratio(" ".join(sorted(ta)), " ".join(sorted(tb))), overlap)


def email_name(email: str) -> str | None:
    """The local part without a `+tag`, or None when it names a role (info@, support@)."""
    local = email.partition("@")[0].split("+", 1)[0].lower()
    if len(local) < MIN_LOCAL_PART or local in ROLE_MAILBOXES:
        return None
    return local


def national_number(e164: str) -> str | None:
    try:
        return str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        return None


def _phone_reasons(a: Customer, b: Customer) -> list[Reason]:
    return [
        Reason(ReasonCode.SAME_PHONE_NUMBER, pa, pb, WEIGHTS[ReasonCode.SAME_PHONE_NUMBER])
        for pa in a.phones
        for pb in b.phones
        if pa != pb and (n := national_number(pa)) is not None and n == national_number(pb)
    ]


def _email_reasons(a: Customer, b: Customer) -> list[Reason]:
    return [
        Reason(ReasonCode.SAME_EMAIL_NAME, ea, eb, WEIGHTS[ReasonCode.SAME_EMAIL_NAME])
        for ea in a.emails
        for eb in b.emails
        if ea != eb and (local := email_name(ea)) is not None and local == email_name(eb)
    ]


def score_pair(a: Customer, b: Customer) -> Suggestion | None:
    """The suggestion that these two cards are one person, or None when too little says so."""
    if a.id == b.id:
        return None
    if b.id < a.id:
        a, b = b, a
    reasons = _phone_reasons(a, b) + _email_reasons(a, b)
    similarity = name_similarity(a.name, b.name)
    same_org = a.organization_id is not None and a.organization_id == b.organization_id
    if similarity >= SIMILAR_NAME and (same_org or reasons):
        code = ReasonCode.SIMILAR_NAME_IN_ORGANIZATION if same_org else ReasonCode.SIMILAR_NAME
        reasons.append(Reason(code, a.name, b.name, round(WEIGHTS[code] * similarity, 2)))
    if not reasons:
        return None
    score = round(1 - math.prod(1 - r.weight for r in reasons), 2)
    return Suggestion(a.id, b.id, score, reasons) if score >= MIN_SCORE else None

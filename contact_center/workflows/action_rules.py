"""Decisions of a complaint's automatic actions: which text in which language, when a
callback or a visit is due, whether a customer's words answer a survey. Pure."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

import phonenumbers


class ActionState(StrEnum):
    PENDING = "pending"  # a message for the worker to send
    DONE = "done"
    SKIPPED = "skipped"  # not needed or not possible; its note says why


class AnsweredVia(StrEnum):
    SMS = "sms"
    EMAIL = "email"
    LINK = "link"


# A survey is answered by a reply within this window after it was sent; later, a "5" is an
# ordinary message on the ticket.
SURVEY_WINDOW = timedelta(days=14)
KEY_ACCOUNT_CALLBACK_WITHIN = timedelta(hours=24)  # wall clock, from the complaint
CONFIRMATION_WITHIN = "1d"  # one working day after the resolution
FOLLOWUP_VISIT_WITHIN = "3d"  # three working days after the resolution
MAX_COMMENT_CHARS = 2000

# "5", "5 thanks", "4 - slow but fine", "３" (full width), "5分", "5。很好": a score is the first
# thing written, alone or followed by words; "50", "5.5", "1-5", "2024 order" are not scores.
_SCORE = re.compile(r"^\s*([1-5１-５])(?![0-9０-９]|[.,/\-][0-9])\s*[分星]?[\s\-:.,;!。，：、）)]*")
_FULL_WIDTH = str.maketrans("１２３４５", "12345")


@dataclass(frozen=True)
class SurveyAnswer:
    score: int
    comment: str


def survey_answer(text: str) -> SurveyAnswer | None:
    """A score of 1 to 5 and the words after it, when `text` (a reply's first line that is
    not empty) begins with one; None when the reply says something else."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    found = _SCORE.match(first)
    if found is None:
        return None
    rest = first[found.end() :].strip()
    following = text[text.index(first) + len(first) :].strip()
    comment = "\n".join(part for part in (rest, following) if part)
    return SurveyAnswer(int(found.group(1).translate(_FULL_WIDTH)), comment[:MAX_COMMENT_CHARS])


def first_line_only(text: str) -> str:
    """An email reply's own words: the lines before the quoted survey ("On ... wrote:", "> ")."""
    kept: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">") or re.match(r"^(On .+ wrote:|在.+写道[:：])$", stripped):
            break
        if stripped == "-- ":
            break
        kept.append(line)
    return "\n".join(kept).strip()


def can_receive_sms(e164: str) -> bool:
    """Whether a caller's number can take an SMS: a mobile number (or one its numbering plan
    cannot tell from a landline, as in North America); a landline cannot."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(number)
    return kind in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def definition_language(language: str) -> str:
    """The definition's text key for a customer's language ("zh" -> "zh_Hans")."""
    return "zh_Hans" if language.lower().startswith("zh") else "en"


def definition_text(
    texts: Mapping[str, Mapping[str, str]], name: str, language: str, **values: object
) -> str | None:
    """The definition's text `name` in the customer's language (else English), filled in;
    None when the definition has no such text."""
    by_language = texts.get(name) or {}
    template = by_language.get(definition_language(language)) or by_language.get("en")
    if not template:
        return None
    return template.format(**values)


def survey_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/survey/{token}"

"""Decisions of a complaint's automatic actions: which text in which language, when a
callback or a visit is due, whether a customer's words answer a survey. Pure."""

from __future__ import annotations

import logging
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

log = logging.getLogger(__name__)


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
MAX_COMMENT_CHARS = 2000

# A score is the whole first line ("5", "３", "5分", "4星!") or a score, a clear separator and a
# comment ("5 - great", "4, a bit slow", "5。很好"). Anything else is an ordinary message that
# happens to start with a digit: "5pm is fine", "4:30 works", "2 items missing", "1-5", "50".
_BARE_SCORE = re.compile(r"^\s*([1-5１-５])\s*[分星]?\s*[.!。！]?\s*$")
_SCORE_AND_COMMENT = re.compile(
    r"^\s*([1-5１-５])\s*[分星]?\s*[-–—,，。、;；:：!！.]\s*(?![0-9０-９])(\S.*)$"
)
_FULL_WIDTH = str.maketrans("１２３４５", "12345")


@dataclass(frozen=True)
class SurveyAnswer:
    score: int
    comment: str


def survey_answer(text: str) -> SurveyAnswer | None:
    """A score of 1 to 5 and the comment after it, when `text`'s first line that is not empty
    is a score alone or a score, a separator and words; None when the reply says something
    else (a message that merely begins with a number)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    found = _BARE_SCORE.match(first) or _SCORE_AND_COMMENT.match(first)
    if found is None:
        return None
    rest = found.group(2).strip() if found.re is _SCORE_AND_COMMENT else ""
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
    return fill(template, values, name=name)


def fill(template: str, values: Mapping[str, object], *, name: str = "text") -> str:
    """`template` with its placeholders ("{number}") filled in from `values`. Never raises: a
    placeholder it does not know (a definition saved before texts were checked) is left as
    written, an unmatched brace leaves the whole text as written, with a WARNING."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError:
        log.warning("the %s text has an unmatched brace: sent as written", name)
        return template
    out: list[str] = []
    for literal, field, spec, conversion in parts:
        out.append(literal)
        if field is None:
            continue
        if field in values and not spec and not conversion:
            out.append(str(values[field]))
            continue
        log.warning("the %s text has an unknown placeholder {%s}: sent as written", name, field)
        out.append(
            "{"
            + field
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
    return "".join(out)


def survey_closed(sent_at: datetime, answered_at: datetime | None, *, now: datetime) -> bool:
    """Whether a survey takes no answer any more: unanswered and sent over 14 days ago."""
    return answered_at is None and now - sent_at > SURVEY_WINDOW


def survey_link(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/survey/{token}"

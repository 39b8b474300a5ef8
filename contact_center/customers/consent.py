"""SMS consent keywords: STOP-like words opt a number out, START-like words back in. Pure.

The lists follow the carriers' standard keywords (the whole message, any case), plus the
Chinese words customers here use.
"""

from __future__ import annotations

from enum import StrEnum


class Keyword(StrEnum):
    STOP = "stop"
    START = "start"
    HELP = "help"


STOP_WORDS = {
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "optout",
    "revoke",
    "退订",
    "取消订阅",
    "td",
}
START_WORDS = {"start", "unstop", "yes", "subscribe", "订阅", "恢复订阅"}
HELP_WORDS = {"help", "info", "帮助"}


def sms_keyword(text: str) -> Keyword | None:
    word = "".join(text.split()).lower().strip(".!。！")
    if word in STOP_WORDS:
        return Keyword.STOP
    if word in START_WORDS:
        return Keyword.START
    if word in HELP_WORDS:
        return Keyword.HELP
    return None

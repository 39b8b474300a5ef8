"""How long an SMS is: characters, encoding and segments, as carriers count them.

A text written only in the GSM 03.38 alphabet goes as 7-bit characters, 160 in one message or
153 per part of a longer one (the rest of each part carries the joining header); the
extension characters (`{ } [ ] ~ \\ | ^ €` and form feed) take two. Any other character makes
the whole message UCS-2: 70 UTF-16 units in one message, 67 per part, an emoji taking two.
An escape pair or a surrogate pair is never split between parts, so a part may hold one unit
less. The console's composer runs the same rule in static/console/sms_length.js; both are
tested on the same cases (tests/tickets/sms_length_cases.json).
"""

from __future__ import annotations

from dataclasses import dataclass

GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")
SINGLE = {"gsm7": 160, "ucs2": 70}
PART = {"gsm7": 153, "ucs2": 67}


@dataclass(frozen=True)
class SmsLength:
    encoding: str  # "gsm7" or "ucs2"
    characters: int  # as a person counts them (code points)
    units: int  # septets (gsm7) or UTF-16 units (ucs2)
    segments: int  # messages the carrier bills; 0 for an empty text
    per_segment: int  # units one segment holds at this length (160/153 or 70/67)
    remaining: int  # units still free in the last segment


def _weights(text: str) -> tuple[str, list[int]]:
    if all(c in GSM_BASIC or c in GSM_EXTENSION for c in text):
        return "gsm7", [2 if c in GSM_EXTENSION else 1 for c in text]
    return "ucs2", [2 if ord(c) > 0xFFFF else 1 for c in text]


def sms_length(text: str) -> SmsLength:
    """Count `text` as one SMS would be sent. Pure; the same rule as the browser's."""
    encoding, weights = _weights(text)
    units = sum(weights)
    if units <= SINGLE[encoding]:
        segments = 1 if units else 0
        return SmsLength(
            encoding, len(text), units, segments, SINGLE[encoding], SINGLE[encoding] - units
        )
    size, segments, used = PART[encoding], 1, 0
    for weight in weights:
        if used + weight > size:
            segments, used = segments + 1, 0
        used += weight
    return SmsLength(encoding, len(text), units, segments, size, size - used)

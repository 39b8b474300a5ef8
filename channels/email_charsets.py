"""Bytes as text: in the charset a mail declares, else in the one the evidence points to. Pure.

Undeclared 8-bit text (raw header bytes, a body part without a charset) is read as UTF-8 when
it is valid UTF-8; otherwise charset-normalizer's mess measure rules out readings that look
garbled, and of the rest the reading made of the most common characters of its charset wins.
A short value (a name, a subject) is ambiguous: the same two bytes are a Latin letter pair in
cp1252 and a rare ideograph in GB18030. The charsets the mail declares for its body are then
the strongest evidence, and are used unless the bytes read as garbage in them.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterable
from email.message import Message

from charset_normalizer import from_bytes

# Mail labelled GB2312 routinely holds GBK characters, which GB18030 covers; text labelled
# ASCII or Latin-1 is often UTF-8 or Windows-1252, and valid UTF-8 is never an accident.
_CHARSET_TABLE = (
    ("gb18030", "gb2312 gbk x-gbk cp936 euc-cn csgb2312 gb_2312-80 gb18030"),
    ("cp950 big5hkscs", "big5 x-big5 cn-big5 csbig5 big5-hkscs"),
    ("iso2022_jp_2 iso2022_jp_ext", "iso-2022-jp csiso2022jp"),
    ("cp932", "shift_jis shift-jis sjis x-sjis windows-31j"),
    ("cp949", "ks_c_5601-1987 euc-kr"),
    ("utf-8 cp1252", "us-ascii ascii iso-8859-1 latin-1 latin1 windows-1252 cp1252"),
)
_CHARSET_ALIASES = {
    alias: tuple(names.split()) for names, aliases in _CHARSET_TABLE for alias in aliases.split()
}
_FALLBACK_CHARSETS = ("gb18030", "cp1252", "latin-1")
# What the detector chooses among: the charsets mail is written in, in order of preference
# when the evidence is equal.
DETECTED_CHARSETS = ("gb18030", "cp950", "cp932", "cp949", "cp1252")
# The detector's cost grows with its input; a few kilobytes say as much as the whole text.
MAX_DETECT_BYTES = 8 * 1024
MESS_TRUSTED_BYTES = 64
# A declared charset gives way only to a reading this much more made of common characters.
_STRONG_DISAGREEMENT = 0.4
_TIE = 0.05


def decode_text(data: bytes, charset: str | None, hints: Iterable[str] = ()) -> str:
    """Text in the declared charset, else as the evidence says (`hints`: the charsets the rest
    of the mail declares). A declared charset with a single bad sequence (a truncated message)
    is still trusted.
    """
    name = (charset or "").strip().strip("\"'").lower()
    declared = _CHARSET_ALIASES.get(name, (name,) if name else ())
    text = _decode(data, (*declared, "utf-8"))
    if text is None and declared:
        lenient = _decode(data, declared[:1], errors="replace")
        text = lenient if lenient and lenient.count("\ufffd") <= 1 else None
    if text is None and not declared:
        text = _truncated_utf8(data)
    if text is None and not declared:
        chosen = choose_charset(data, hints)
        text = (_decode(data, (chosen,)) or _decode(data, (chosen,), "replace")) if chosen else None
    return text if text is not None else (_decode(data, _FALLBACK_CHARSETS) or "")


def _truncated_utf8(data: bytes) -> str | None:
    """UTF-8 cut inside its last character (a truncated message), or None."""
    try:
        text = codecs.getincrementaldecoder("utf-8")().decode(data, final=False)
    except UnicodeDecodeError:
        return None
    return text + "\ufffd" if len(text.encode()) < len(data) else text


def codec_names(charsets: Iterable[str]) -> list[str]:
    """Declared charset labels as the codecs that read them, known ones only, once each."""
    names: list[str] = []
    for label in charsets:
        name = label.strip().strip("\"'").lower()
        codec = _CHARSET_ALIASES.get(name, (name,))[0]
        if _known(codec) and codec not in names and codec != "utf-8":
            names.append(codec)
    return names


def declared_charsets(message: Message) -> tuple[str, ...]:
    """The codecs of the charsets a message declares for any of its parts."""
    declared = []
    for part in message.walk():  # the caller has capped the part count
        charset = part.get_param("charset")
        if isinstance(charset, str):
            declared.append(charset)
    return tuple(codec_names(declared))


def choose_charset(data: bytes, hints: Iterable[str] = ()) -> str | None:
    """The charset that reads these undeclared bytes best, or None when none reads them."""
    sample = _sample(data)
    if _decode(sample, ("utf-8",)) is not None:
        return "utf-8"
    hinted = codec_names(hints)
    readings = _plausible(sample, [*hinted, *DETECTED_CHARSETS])
    if not readings:
        return None
    best_score = max(readings.values())
    for codec in hinted:
        if codec in readings and readings[codec] >= best_score - _STRONG_DISAGREEMENT:
            return codec
    # Near-equal readings go to the more likely charset of our mail, first in the order.
    return next(codec for codec, score in readings.items() if score >= best_score - _TIE)


def _plausible(sample: bytes, codecs: list[str]) -> dict[str, float]:
    """Each codec that reads the sample, scored: the share of common characters in its reading,
    less the detector's measure of how garbled the reading looks (0 clean to 1 garbage). That
    measure counts fully from MESS_TRUSTED_BYTES on: on a few bytes it is noise."""
    order = list(dict.fromkeys(codecs))
    matches = from_bytes(sample, cp_isolation=order, threshold=1.0)
    trust = min(1.0, len(sample) / MESS_TRUSTED_BYTES)
    mess = {_codec(match.encoding): match.chaos * trust for match in matches}
    scores = {}
    for codec in order:  # in order of preference, which sorted() keeps for equal scores
        if _codec(codec) in mess and (text := _decode(sample, (codec,))) is not None:
            scores[codec] = commonness(text, codec) - mess[_codec(codec)]
    return scores


def commonness(text: str, codec: str) -> float:
    """The share of the non-ASCII characters of `text` that are common ones in `codec`'s
    script: for CJK charsets, the characters of the national standard's first (most frequent)
    level; for single-byte ones, letters inside words that also have ASCII letters (CJK bytes
    read as Latin give runs of accented letters and symbols), and everyday punctuation."""
    rare = [char for char in text if ord(char) > 0x7F]
    if not rare:
        return 1.0
    measure = _CJK_MEASURES.get(_codec(codec))
    if measure is not None:
        return sum(measure(char) for char in rare) / len(rare)
    score = sum(1.0 for char in rare if char in _COMMON_PUNCTUATION)
    for word in _WORD.findall(text):
        non_ascii = sum(1 for char in word if not char.isascii())
        score += non_ascii * (1.0 if non_ascii < len(word) else 0.5)
    return score / len(rare)


_COMMON_PUNCTUATION = frozenset("“”‘’–—…€•°·")
_WORD = re.compile(r"[^\W\d_]+")


def _cjk_measure(
    codec: str, levels: tuple[tuple[int, int, float], ...], extension: str = ""
) -> Callable[[str], float]:
    def weight(char: str) -> float:
        try:
            encoded = char.encode(codec)
        except UnicodeEncodeError:
            # Outside the national standard: a rarer character (GBK's hold many given names)
            # or a misreading.
            return 0.25 if extension and _encodes(char, extension) else 0.0
        code = int.from_bytes(encoded, "big")
        return next((w for low, high, w in levels if low <= code <= high), 0.0)

    return weight


def _encodes(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


# (first code, last code, weight): symbols and kana, the first level, the second level.
_CJK_MEASURES = {
    "gb18030": _cjk_measure(
        "gb2312", ((0xA1A1, 0xA9FE, 1.0), (0xB0A1, 0xD7F9, 1.0), (0xD8A1, 0xF7FE, 0.5)), "gbk"
    ),
    "cp950": _cjk_measure(
        "big5", ((0xA140, 0xA3BF, 1.0), (0xA440, 0xC67E, 1.0), (0xC940, 0xF9D5, 0.5))
    ),
    "cp932": _cjk_measure(
        "shift_jis", ((0x8140, 0x84BE, 1.0), (0x889F, 0x9872, 1.0), (0x989F, 0xEAA4, 0.5))
    ),
    "cp949": _cjk_measure(
        "euc_kr", ((0xA1A1, 0xACFE, 1.0), (0xB0A1, 0xC8FE, 1.0), (0xCAA1, 0xFDFE, 0.5))
    ),
}


def _codec(name: str) -> str:
    """A codec's canonical name, so that labels and the detector's names compare."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        return name


def _known(name: str) -> bool:
    try:
        return bool(getattr(codecs.lookup(name), "_is_text_encoding", True))
    except LookupError:
        return False


def _sample(data: bytes) -> bytes:
    """At most MAX_DETECT_BYTES, cut at a line end where possible so no character is split."""
    if len(data) <= MAX_DETECT_BYTES:
        return data
    cut = data.rfind(b"\n", 0, MAX_DETECT_BYTES)
    return data[: cut if cut > 0 else MAX_DETECT_BYTES]


def _decode(data: bytes, charsets: tuple[str, ...], errors: str = "strict") -> str | None:
    for charset in charsets:
        try:
            return data.decode(charset, errors)
        except (LookupError, ValueError, TypeError):  # unknown, undecodable or not a text codec
            continue
    return None

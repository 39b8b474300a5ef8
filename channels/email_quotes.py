"""Reading a message's words: bytes and encoded words in any charset, HTML as plain text, and a
reply split from what it quotes or signs. Pure. Blockquotes become `>` lines, so HTML-only mail
splits the same way.
"""

from __future__ import annotations

import binascii
import html as html_entities
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import NamedTuple

from channels.email_charsets import decode_text

_ENCODED_WORD = re.compile(r"=\?([^?\s]{1,64})\?([bBqQ])\?([^?\s]*)\?=")


def _word_bytes(encoding: str, text: str) -> bytes:
    data = text.encode("ascii", "ignore")
    if encoding in "qQ":
        return binascii.a2b_qp(data, header=True)
    data = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
    data = data[: len(data) - 1] if len(data) % 4 == 1 else data
    return binascii.a2b_base64(data + b"=" * (-len(data) % 4))


def decode_words(value: str) -> str:
    """RFC 2047 encoded words decoded. Neighbouring words in one charset are joined as bytes
    first, because clients split multibyte characters across them."""
    out: list[str] = []
    charset, chunk, pos = "", b"", 0
    for match in _ENCODED_WORD.finditer(value):
        gap = value[pos : match.start()]
        joined = pos > 0 and not gap.strip()
        word_charset = match.group(1).split("*")[0].lower()
        if chunk and (not joined or word_charset != charset):
            out.append(decode_text(chunk, charset))
            chunk = b""
        if not joined:
            out.append(gap)
        charset, pos = word_charset, match.end()
        chunk += _word_bytes(match.group(2), match.group(3))
    if chunk:
        out.append(decode_text(chunk, charset))
    out.append(value[pos:])
    return "".join(out)


# "On Mon, 2 Mar 2026 at 10:15, Ann <ann@example.com> wrote:" and its translations. Gmail and
# Apple Mail wrap the line, so it is also tried joined with the next one.
_ATTRIBUTION = re.compile(
    r"^\s*(?:On\b.{0,400}\bwrote|Le\b.{0,400}\ba écrit|Am\b.{0,400}\bschrieb\b.{0,300}"
    r"|El\b.{0,400}\bescribió|.{0,400}(?:写道|寫道))\s*[:：]\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Original message|原始邮件|原始郵件)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_RULE = re.compile(r"^\s*(?:_{8,}|-{8,})\s*$")
# Outlook's and Chinese clients' header blocks: a From line, then date and recipient lines.
_BLOCK_FROM = re.compile(r"^\s*\*?(?:From|发件人|寄件者|Von|De)\s*\*?\s*[:：]", re.IGNORECASE)
_BLOCK_DATE = re.compile(
    r"^\s*\*?(?:Sent|Date|发送时间|时间|日期|寄件日期|Gesendet|Envoyé)\s*\*?\s*[:：]", re.IGNORECASE
)
_BLOCK_REST = re.compile(
    r"^\s*\*?(?:To|Subject|收件人|主题|收件者|主旨|An|Betreff|À|Objet)\s*\*?\s*[:：]", re.IGNORECASE
)
_MOBILE_SIGNATURE = re.compile(
    r"^\s*(?:Sent from my \w.*|Get Outlook for \w.*|发自我的.+|从我的.+发送|寄自我的.+)\s*$",
    re.IGNORECASE,
)
_QUOTE_PREFIX = "> "
_MAX_QUOTE_MARKS = 5


class Reply(NamedTuple):
    new: str
    quoted: str


def split_reply(text: str) -> Reply:
    """The new words of a reply, and the quoted history and signature that were cut from it.

    A message that is nothing but quotes (a bare forward) keeps all of it as new words, so the
    reader always sees something.
    """
    lines = text.splitlines()
    cut = [False] * len(lines)
    end = len(lines)
    start = _history_start(lines)
    if start is not None and any(line.strip() for line in lines[:start]):
        end = start
        cut[start:] = [True] * (len(lines) - start)
    _mark_quoted(lines[:end], cut)
    _mark_signature(lines[:end], cut)
    new = _join(line for line, gone in zip(lines, cut, strict=True) if not gone)
    if not new:
        return Reply(_join(lines), "")
    return Reply(new, _join(line for line, gone in zip(lines, cut, strict=True) if gone))


def _join(lines: Iterable[str]) -> str:
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _is_attribution(lines: list[str], index: int) -> bool:
    line = lines[index]
    following = lines[index + 1] if index + 1 < len(lines) else ""
    if len(line) > 500 or not any(x.rstrip().endswith((":", "：")) for x in (line, following)):
        return False
    if _ATTRIBUTION.match(line):
        return True
    return (
        bool(line.strip())
        and len(following) < 500
        and not _ATTRIBUTION.match(following)
        and bool(_ATTRIBUTION.match(line.rstrip() + " " + following.strip()))
    )


def _is_header_block(lines: list[str], index: int) -> bool:
    if not _BLOCK_FROM.match(lines[index]):
        return False
    window = lines[index + 1 : index + 7]
    return any(_BLOCK_DATE.match(line) for line in window) and any(
        _BLOCK_REST.match(line) for line in window
    )


def _history_start(lines: list[str]) -> int | None:
    """Where the quoted conversation begins: an attribution, a separator or a header block."""
    for index, line in enumerate(lines):
        if _SEPARATOR.match(line) or _is_attribution(lines, index):
            return index
        if _is_header_block(lines, index):
            before = index - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            return before if before >= 0 and _RULE.match(lines[before]) else index
    return None


def _is_quote(line: str) -> bool:
    stripped = line.lstrip()
    # ">From " is mbox's escaping of a body line, not a quote.
    return stripped.startswith(">") and not stripped.startswith(">From ")


def _mark_quoted(lines: list[str], cut: list[bool]) -> None:
    """Marks `>` lines, and an attribution line that introduces them, as quoted."""
    for index, line in enumerate(lines):
        if _is_quote(line):
            cut[index] = True
        elif _is_attribution(lines, index):
            after = index + (1 if _ATTRIBUTION.match(line) else 2)
            while after < len(lines) and not lines[after].strip():
                after += 1
            if after < len(lines) and _is_quote(lines[after]):
                cut[index:after] = [True] * (after - index)


def _mark_signature(lines: list[str], cut: list[bool]) -> None:
    """Marks a `-- ` signature, or a mobile client's sign-off line, and what follows it."""
    kept = [index for index, gone in enumerate(cut[: len(lines)]) if not gone]
    for index in kept:
        if lines[index].rstrip() == "--":
            for later in kept:
                if later >= index:
                    cut[later] = True
            return
    content = [index for index in kept if lines[index].strip()]
    if content and _MOBILE_SIGNATURE.match(lines[content[-1]]):
        cut[content[-1]] = True


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]{0,40})")
_FLAT_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr p li td th tr dt dd "
    "option".split()
)


def html_too_deep(html: str, limit: int) -> bool:
    """An upper bound of element nesting, from a scan of tag names only."""
    depth = 0
    for closing, name in _TAG.findall(html):
        if name.lower() in _FLAT_TAGS:
            continue
        depth = max(depth - 1, 0) if closing else depth + 1
        if depth > limit:
            return True
    return False


def strip_tags(html: str) -> str:
    """Text of HTML too deep to parse, by dropping anything between angle brackets."""
    text = html_entities.unescape(re.sub(r"<[^<>]*>", " ", html))
    return re.sub(r"[ \t]+", " ", text).strip()


_BLOCK_TAGS = frozenset(
    "address article aside dd div dl dt figure footer form h1 h2 h3 h4 h5 h6 header hr "
    "main nav ol section table tbody thead tfoot tr ul".split()
)
_PARAGRAPH_TAGS = frozenset("p h1 h2 h3 h4 h5 h6".split())
_SKIPPED_TAGS = frozenset("script style head title template".split())


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[tuple[int, str]] = []
        self.words: list[str] = []
        self.quote_depth = 0
        self.pre_depth = 0
        self.skip_depth = 0

    def newline(self, paragraph: bool = False) -> None:
        joined = "".join(self.words)
        line = joined.rstrip() if self.pre_depth else joined.strip()
        self.words = []
        if line:
            self.lines.append((self.quote_depth, line))
        if paragraph and self.lines and self.lines[-1][1]:
            self.lines.append((self.quote_depth, ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag == "br":
            self.newline()
        elif tag == "blockquote":
            self.newline(paragraph=True)
            self.quote_depth += 1
        elif tag == "li":
            self.newline()
            self.words.append("- ")
        elif tag in ("td", "th"):
            self.words.append(" ")
        elif tag == "pre":
            self.newline()
            self.pre_depth += 1
        elif tag in _PARAGRAPH_TAGS or tag in _BLOCK_TAGS:
            self.newline(paragraph=tag in _PARAGRAPH_TAGS)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "blockquote":
            self.newline(paragraph=True)
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag == "pre":
            self.newline()
            self.pre_depth = max(0, self.pre_depth - 1)
        elif tag in _PARAGRAPH_TAGS or tag in _BLOCK_TAGS or tag == "li":
            self.newline(paragraph=tag in _PARAGRAPH_TAGS)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        if not self.pre_depth:
            self.words.append(re.sub(r"\s+", " ", data))
            return
        first, *rest = data.split("\n")
        self.words.append(first)
        for line in rest:
            self.newline()
            self.words.append(line)


def html_to_text(html: str) -> str:
    """Readable text from (already cleaned) HTML, keeping paragraphs, line breaks and quotes."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    reader.newline()
    out = []
    for depth, line in reader.lines:
        marks = _QUOTE_PREFIX * min(depth, _MAX_QUOTE_MARKS)
        out.append((marks + line) if line else marks.rstrip())
    return _join(out)

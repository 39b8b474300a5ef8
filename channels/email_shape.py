"""Measuring inbound mail before the standard library parses it: header size, line count,
MIME header length, part count and nesting depth. Pure: bytes in, nothing or ParseError out."""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_PARTS = 200
# The standard parser tests every line against each open boundary and holds every line as an
# object while it works: depth × lines bounds its time, lines its memory (about 1 s, 120 MB).
MAX_DEPTH = 10
MAX_LINES = 1_000_000
MAX_HEADER_BYTES = 256 * 1024
# Message.get_param is quadratic in the `;` of a header, and the parser calls it on every part.
MAX_MIME_HEADER_BYTES = 4 * 1024


class ParseError(Exception):
    """Mail we cannot read; the message says why."""


_HEADER_END = re.compile(rb"\r?\n\r?\n|\r\r")
# Line starts and ends count bare CR too, as the parser splits lines on it.
_MIME_HEADER = re.compile(
    rb"(?:^|(?<=\r))content-(?:type|disposition)[ \t]*:", re.IGNORECASE | re.MULTILINE
)
_LOGICAL_LINE_END = re.compile(rb"(?:\r\n?|\n)(?![ \t\n])")
_SHAPE = re.compile(
    rb'(?:^|(?<=\r))--([^\r\n]*)|boundary\*?[0-9]*\*?[ \t]*=[ \t]*"?([^";\r\n]*)',
    re.IGNORECASE | re.MULTILINE,
)


def scan(pattern: re.Pattern[bytes], raw: bytes) -> Iterator[re.Match[bytes]]:
    """pattern.finditer(raw) a window at a time: one regex call holds the GIL for its whole scan
    (half a second over a big mail), stalling the event loop beside the worker parsing it. No
    match of these patterns crosses a line end, windows end after one, so `^` and the CR
    lookbehind see at a window's start what they would see in the whole mail."""
    start = 0
    while start < len(raw):
        end = raw.find(b"\n", start + 64 * 1024) + 1 or len(raw)
        yield from pattern.finditer(raw, start, end)
        start = end


def check_shape(raw: bytes) -> None:
    """Refuses mail whose shape alone would make the standard parser slow."""
    end = _HEADER_END.search(raw)
    if (end.start() if end else len(raw)) > MAX_HEADER_BYTES:
        raise ParseError("header section too large")
    if raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n") > MAX_LINES:
        raise ParseError(f"more than {MAX_LINES} lines")
    for match in scan(_MIME_HEADER, raw):
        stop = _LOGICAL_LINE_END.search(raw, match.end())
        if (stop.start() if stop else len(raw)) - match.start() > MAX_MIME_HEADER_BYTES:
            raise ParseError("MIME header too large")
    check_nesting(raw)


def check_nesting(raw: bytes) -> None:
    """Follows boundary lines as the parser will, counting parts and open multiparts.

    Every `boundary=` counts as opening one, so the count can only be too high, never too low.
    """
    open_boundaries: list[bytes] = []
    parts = 0
    for match in scan(_SHAPE, raw):
        declared = match.group(2)
        if declared is not None:
            open_boundaries.append(declared.strip())
            if len(open_boundaries) > MAX_DEPTH:
                raise ParseError(f"MIME nesting deeper than {MAX_DEPTH}")
            continue
        token = match.group(1).rstrip()
        if token in open_boundaries:
            del open_boundaries[open_boundaries.index(token) + 1 :]
            parts += 1
        elif token.endswith(b"--") and token[:-2] in open_boundaries:
            del open_boundaries[open_boundaries.index(token[:-2]) :]
        if parts > MAX_PARTS:
            raise ParseError(f"more than {MAX_PARTS} MIME parts")

"""An email's cleaned HTML as a document of its own, for the console's sandboxed frame: inline
images (`cid:` parts) become `data:` URLs, the only images its policy loads by default. Pure."""

from __future__ import annotations

import base64
import re

# Plain raster images only: an SVG or HTML part never becomes a data: URL.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
MAX_INLINE_BYTES = 2 * 1024 * 1024
CID_REFERENCE = re.compile(r"""(["'])cid:([^"'\s]{1,500})\1""", re.IGNORECASE)


def mail_document(html: str, inline: dict[str, tuple[str, bytes]]) -> str:
    """`html` (already cleaned at intake) in a page of its own; `inline` maps a Content-ID to
    (content type, bytes). A reference to an unknown or unsuitable part is left as it is."""

    def replace(match: re.Match[str]) -> str:
        found = inline.get(match.group(2)) or inline.get(match.group(2).strip("<>"))
        if found is None:
            return match.group(0)
        kind, content = found
        if kind not in INLINE_TYPES or len(content) > MAX_INLINE_BYTES:
            return match.group(0)
        encoded = base64.b64encode(content).decode("ascii")
        return f"{match.group(1)}data:{kind};base64,{encoded}{match.group(1)}"

    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        '<meta name="referrer" content="no-referrer"></head><body>'
        f"{CID_REFERENCE.sub(replace, html)}</body></html>"
    )

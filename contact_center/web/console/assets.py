"""Static files with cache-busting names: `console.js` is served as `console.<hash>.js`, so a
browser may keep it for a year and still never runs an old copy after an upgrade."""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).resolve().parent.parent / "static"
PREFIX = "/static/"
TYPES = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}


@dataclass(frozen=True)
class Asset:
    url: str
    content_type: str
    body: bytes


class Assets:
    """Every file under web/static, read once at start, by its plain and its hashed name."""

    def __init__(self, folder: Path = STATIC) -> None:
        self._by_name: dict[str, Asset] = {}
        self._by_served: dict[str, Asset] = {}
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            body = path.read_bytes()
            digest = hashlib.sha256(body).hexdigest()[:12]
            served = f"{path.stem}.{digest}{path.suffix}"
            content_type = TYPES.get(path.suffix) or (
                mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            )
            asset = Asset(PREFIX + served, content_type, body)
            self._by_name[path.name] = asset
            self._by_served[served] = asset

    def url(self, name: str) -> str:
        """The URL of web/static/<name> (KeyError for a file that does not exist)."""
        return self._by_name[name].url

    def served(self, served_name: str) -> Asset | None:
        return self._by_served.get(served_name)


ASSETS = web.AppKey("assets", Assets)


async def static_file(request: web.Request) -> web.Response:
    asset = request.app[ASSETS].served(request.match_info["name"])
    if asset is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=asset.body,
        content_type=asset.content_type,
        charset="utf-8" if asset.content_type.startswith("text/") else None,
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )

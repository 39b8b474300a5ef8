"""Typed keys for what the application and each request carry."""

from typing import Any

from aiohttp import web

from contact_center.config import Settings
from contact_center.db import Pool
from contact_center.live import Hub
from contact_center.users import Session, User

SETTINGS = web.AppKey("settings", Settings)
# asyncpg's pool, or in tests a wrapper handing out one connection
POOL: web.AppKey[Pool] = web.AppKey("pool")
# the joined route table (`web/routes.py`), for the pages that describe the service
ROUTE_TABLE: web.AppKey[list[Any]] = web.AppKey("route_table")
HUB = web.AppKey("hub", Hub)  # this process's live event fan-out (fed by `live.Listener`)

USER = web.RequestKey("user", User)  # the authenticated user
SESSION = web.RequestKey("session", Session)  # the console session, when cookie-authenticated
REQUEST_ID = web.RequestKey("request_id", str)

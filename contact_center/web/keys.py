"""Typed keys for what the application and each request carry."""

from typing import Any

from aiohttp import web

from contact_center.config import Settings
from contact_center.users import Session, User

SETTINGS = web.AppKey("settings", Settings)
POOL = web.AppKey("pool", Any)  # a db.Pool: asyncpg's, or one connection in tests

USER = web.RequestKey("user", User)  # the authenticated user
SESSION = web.RequestKey("session", Session)  # the console session, when cookie-authenticated
REQUEST_ID = web.RequestKey("request_id", str)

"""Typed keys for what the application and each request carry."""

from typing import Any

from aiohttp import web

from contact_center.config import Settings

SETTINGS = web.AppKey("settings", Settings)
POOL = web.AppKey("pool", Any)  # a db.Pool: asyncpg's, or one connection in tests

USER = "cc_user"  # request key: the authenticated users.User
SESSION = "cc_session"  # request key: the console users.Session when cookie-authenticated

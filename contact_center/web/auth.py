"""Who is asking, and may they: authentication, CSRF, role guards and access chokepoints.

Every handler gets the user and the objects it touches through the functions here, so that
lists, loads, search and exports share one rule per object kind.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from urllib.parse import SplitResult, urlsplit
from uuid import UUID

from aiohttp import web

from contact_center import customers, tickets, users
from contact_center.audit import Actor
from contact_center.config import LOOPBACK_HOSTS
from contact_center.customers import Customer, Organization
from contact_center.errors import Forbidden, NotFound, Unauthorized
from contact_center.tickets import Ticket
from contact_center.timeutil import utc_now
from contact_center.users import Role, Session, User
from contact_center.web.keys import POOL, SESSION, SETTINGS, USER

SESSION_COOKIE = "__Host-cc_session"
PLAIN_SESSION_COOKIE = "cc_session"  # over plain http to a non-local host, where __Host- is refused
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"  # the hidden field of every console form
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
STAFF = (Role.AGENT, Role.ACCOUNT_MANAGER, Role.SUPERVISOR, Role.ADMIN)
# Who reviews suggested duplicates and merges cards; of them, who may undo anyone's merge at any
# time (the others undo their own for a day: merges.may_undo_merge).
MERGERS = (Role.AGENT, Role.SUPERVISOR, Role.ADMIN)
MERGE_OVERSEERS = (Role.SUPERVISOR, Role.ADMIN)
# Who sees and changes every account's tier, key flag, manager and health.
OVERSEERS = (Role.SUPERVISOR, Role.ADMIN)


def may_read_account(user: User | None, account_manager_id: UUID | None) -> bool:
    """The one rule for reading an account's tier and health (API and card sections): its
    account manager, supervisors and admins. Others get a 403 from the API and no section on
    the card."""
    if user is None:
        return False
    return user.has_role(*OVERSEERS) or (
        account_manager_id is not None and account_manager_id == user.id
    )


def cookie_name(request: web.Request) -> str:
    return SESSION_COOKIE if request.app[SETTINGS].secure_cookies else PLAIN_SESSION_COOKIE


def set_session_cookie(
    request: web.Request, response: web.StreamResponse, session: Session
) -> None:
    settings = request.app[SETTINGS]
    response.set_cookie(
        cookie_name(request),
        session.token,
        path="/",
        httponly=True,
        secure=settings.secure_cookies,
        samesite="Lax",
        max_age=int(timedelta(hours=settings.session_ttl_hours).total_seconds()),
    )


def clear_session_cookie(request: web.Request, response: web.StreamResponse) -> None:
    response.del_cookie(cookie_name(request), path="/", secure=request.app[SETTINGS].secure_cookies)


async def authenticate(request: web.Request) -> User:
    """The user behind a bearer token or a session cookie; 401 when there is none."""
    pool, now = request.app[POOL], utc_now()
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("use 'Authorization: Bearer <token>'")
        user = await users.user_for_token(pool, token.strip(), now=now)
        if user is None:
            raise Unauthorized("the token is unknown or revoked")
        return user
    cookie = request.cookies.get(cookie_name(request))
    if cookie:
        session = await users.user_for_session(pool, cookie, now=now)
        if session is not None:
            if request.method in UNSAFE_METHODS:
                await check_csrf(request, session)
            request[SESSION] = session
            return session.user
    raise Unauthorized("log in or send a bearer token")


async def check_csrf(request: web.Request, session: Session) -> None:
    """Cookie-authenticated writes need the session's CSRF token and, when sent, our Origin.

    Scripts send the token in the X-CSRF-Token header, console forms in a hidden field.
    """
    check_origin(request)
    token = request.headers.get(CSRF_HEADER, "")
    if not token and request.content_type in FORM_TYPES:
        token = str((await request.post()).get(CSRF_FIELD, ""))
    if not hmac.compare_digest(token.encode(), session.csrf_token.encode()):
        raise Forbidden("missing or wrong CSRF token")


def check_origin(request: web.Request) -> None:
    """A browser names the page a request comes from in `Origin`: only ours may write.

    Also guards logging in, which has no session (and so no CSRF token) yet: another site must
    not log a visitor in to an account of its choosing (login CSRF).
    """
    origin = request.headers.get("Origin")
    if origin is None:
        return  # not sent by browsers on same-origin GETs, nor by scripts
    public = urlsplit(request.app[SETTINGS].public_url)
    if not same_origin(urlsplit(origin), public):
        raise Forbidden("cross-origin request refused")


def same_origin(sent: SplitResult, public: SplitResult) -> bool:
    """Whether `sent` is the public URL's origin. A loopback public URL (the default set-up)
    is reached as localhost, 127.0.0.1 or [::1] alike, on its own scheme and port: all name
    this machine, and no other site's page has such an origin."""
    if (sent.scheme, sent.netloc) == (public.scheme, public.netloc):
        return True
    try:
        same_port = sent.port == public.port
    except ValueError:  # a port out of range
        return False
    return (
        public.hostname in LOOPBACK_HOSTS
        and sent.hostname in LOOPBACK_HOSTS
        and (sent.scheme, same_port) == (public.scheme, True)
    )


def current_user(request: web.Request) -> User:
    user: User = request[USER]
    return user


def actor_of(request: web.Request) -> Actor:
    user = current_user(request)
    return Actor(label=user.email, user_id=user.id)


def require_role(request: web.Request, *roles: Role) -> User:
    user = current_user(request)
    if not user.has_role(*roles):
        raise Forbidden(f"this needs the role {' or '.join(str(r) for r in roles)}")
    return user


def parse_id(raw: str, what: str) -> UUID:
    try:
        return UUID(raw)
    except ValueError:
        raise NotFound(f"no such {what}") from None


async def access_customer(request: web.Request, raw_id: str) -> Customer:
    """The customer, if this user may see it."""
    # One site, one team: every staff role sees and edits every card; merges and exports
    # carry their own role guards in their handlers.
    require_role(request, *STAFF)
    return await customers.get_customer(request.app[POOL], parse_id(raw_id, "customer"))


async def access_organization(
    request: web.Request, raw_id: str
) -> tuple[Organization, list[Customer]]:
    require_role(request, *STAFF)
    return await customers.get_organization(request.app[POOL], parse_id(raw_id, "organization"))


async def access_ticket(request: web.Request, raw_id: str) -> Ticket:
    require_role(request, *STAFF)
    ticket, _ = await tickets.get_ticket(request.app[POOL], parse_id(raw_id, "ticket"))
    return ticket

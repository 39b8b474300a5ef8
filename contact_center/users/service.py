"""User use cases: accounts, sessions and API tokens (logging in is in login.py)."""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from uuid import UUID

from contact_center import audit, live
from contact_center.audit import Actor
from contact_center.config import Settings
from contact_center.db import Conn, Pool, transaction
from contact_center.errors import Conflict, Invalid, NotFound
from contact_center.i18n import LOCALES
from contact_center.users import store
from contact_center.users.credentials import (
    MIN_PASSWORD_LENGTH,
    STANDARD,
    Argon2Cost,
    Passwords,
    new_token,
    token_digest,
)
from contact_center.users.model import ApiToken, Role, Session, User
from contact_center.users.throttle import TRUSTED_FOR, WINDOW


def passwords_for(settings: Settings) -> Passwords:
    """The password hasher at the configured Argon2 cost (one per cost and process)."""
    return _passwords(
        Argon2Cost(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )
    )


@functools.cache
def _passwords(cost: Argon2Cost) -> Passwords:
    return Passwords(cost)


def _normalize_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise Invalid("not an email address", field="email")
    return email


async def _announce(conn: Conn, user_id: UUID) -> None:
    """Tell live streams that this user's account changed (role, queues, password, active):
    that user's own streams check their session again and end if it was revoked."""
    # `live` is reached through the module at call time: live.visibility imports users.model,
    # so a name imported from it here could still be unset while the two packages load.
    await live.publish(conn, live.Event.USER_UPDATED, {"user_id": user_id})


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(
            f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password"
        )


async def create_user(
    pool: Pool,
    actor: Actor,
    *,
    email: str,
    role: Role | str,
    password: str,
    name: str = "",
    passwords: Passwords = STANDARD,
) -> User:
    """Create a staff user; raises Conflict when the email is taken."""
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(f"unknown role {role!r}", field="role") from None
    _check_password(password)
    email = _normalize_email(email)
    password_hash = await passwords.hash(password)
    async with transaction(pool) as conn:
        user = await store.insert_user(
            conn, email=email, name=name, role=role, password_hash=password_hash
        )
        await audit.record_change(
            conn, actor, "user", user.id, "created", after={"email": email, "role": str(role)}
        )
    return user


async def get_user(pool: Pool, user_id: UUID) -> User:
    async with pool.acquire() as conn:
        return await store.get_user(conn, user_id)


async def list_users(pool: Pool) -> list[User]:
    async with pool.acquire() as conn:
        return await store.list_users(conn)


async def open_session(conn: Conn, user: User, *, now: datetime, ttl: timedelta) -> Session:
    token, csrf = new_token(), new_token()
    expires_at = now + ttl
    await store.insert_session(
        conn,
        token_hash=token_digest(token),
        user_id=user.id,
        csrf_token=csrf,
        expires_at=expires_at,
    )
    return Session(token=token, csrf_token=csrf, user=user, expires_at=expires_at)


async def user_for_session(pool: Pool, token: str, *, now: datetime) -> Session | None:
    async with pool.acquire() as conn:
        found = await store.find_session_user(conn, token_digest(token), now)
    if found is None:
        return None
    user, csrf, expires_at = found
    return Session(token=token, csrf_token=csrf, user=user, expires_at=expires_at)


async def log_out(pool: Pool, token: str, *, now: datetime) -> None:
    async with transaction(pool) as conn:
        await store.revoke_session(conn, token_digest(token), now)


async def change_password(
    pool: Pool,
    actor: Actor,
    user_id: UUID,
    password: str,
    *,
    now: datetime,
    passwords: Passwords = STANDARD,
) -> None:
    """Set a new password and end every session of that user."""
    _check_password(password)
    password_hash = await passwords.hash(password)
    async with transaction(pool) as conn:
        await store.get_user(conn, user_id)
        await store.update_password(conn, user_id, password_hash)
        await store.revoke_user_sessions(conn, user_id, now)
        await audit.record_change(conn, actor, "user", user_id, "password_changed")
        await _announce(conn, user_id)


async def change_own_password(
    pool: Pool,
    session: Session,
    current: str,
    new: str,
    *,
    now: datetime,
    passwords: Passwords = STANDARD,
) -> None:
    """A signed-in user sets a new password, proving the current one. Their other sessions end
    (a stolen one among them); the session they are using stays signed in."""
    _check_password(new)
    user = session.user
    async with pool.acquire() as conn:
        stored_hash = await store.get_password_hash(conn, user.id)
    if not await passwords.verify(stored_hash, current):
        raise Invalid("the current password is wrong", field="current_password")
    password_hash = await passwords.hash(new)
    async with transaction(pool) as conn:
        if await store.lock_password_hash(conn, user.id) != stored_hash:
            raise Conflict("the password was changed meanwhile; sign in again")
        await store.update_password(conn, user.id, password_hash)
        await store.revoke_other_sessions(conn, user.id, token_digest(session.token), now)
        await audit.record_change(
            conn, Actor(user.email, user.id), "user", user.id, "password_changed"
        )
        await _announce(conn, user.id)


async def set_locale(pool: Pool, user: User, locale: str) -> None:
    """The console's language for this user: a supported locale, or empty for the browser's."""
    if locale not in LOCALES and locale != "":
        raise Invalid(f"unknown language {locale!r}", field="locale")
    async with transaction(pool) as conn:
        await store.update_locale(conn, user.id, locale)
        await audit.record_change(
            conn,
            Actor(user.email, user.id),
            "user",
            user.id,
            "locale_changed",
            before={"locale": user.locale},
            after={"locale": locale},
        )


async def change_role(
    pool: Pool, actor: Actor, user_id: UUID, role: Role | str, *, now: datetime
) -> User:
    """Change a user's role and end their sessions, so the new role applies at once."""
    try:
        role = Role(role)
    except ValueError:
        raise Invalid(f"unknown role {role!r}", field="role") from None
    async with transaction(pool) as conn:
        before = await store.get_user(conn, user_id)
        await store.update_role(conn, user_id, role)
        await store.revoke_user_sessions(conn, user_id, now)
        await audit.record_change(
            conn,
            actor,
            "user",
            user_id,
            "role_changed",
            before={"role": str(before.role)},
            after={"role": str(role)},
        )
        await _announce(conn, user_id)
        return await store.get_user(conn, user_id)


def normalize_queues(raw: list[str]) -> list[str]:
    """Queue names as tickets carry them: trimmed, empty ones and repeats dropped."""
    found: list[str] = []
    for name in raw:
        name = " ".join(name.replace("\x00", "").split())[:100]
        if name and name not in found:
            found.append(name)
    return found


async def set_queues(pool: Pool, actor: Actor, user_id: UUID, queues: list[str]) -> User:
    """Set the ticket queues a user works (their inbox's "my queues"); audited. NotFound
    (field `queues`) names the first queue that does not exist."""
    # routing loads tickets and customers, which load users: it is imported when called.
    from contact_center import routing

    queues = normalize_queues(queues)
    async with transaction(pool) as conn:
        before = await store.get_user(conn, user_id)
        for name in queues:
            if not await routing.queue_exists(conn, name):
                raise NotFound(f"no such queue: {name}", field="queues")
        await store.update_queues(conn, user_id, queues)
        if before.queues != queues:
            await audit.record_change(
                conn,
                actor,
                "user",
                user_id,
                "queues_changed",
                before={"queues": before.queues},
                after={"queues": queues},
            )
            await _announce(conn, user_id)
        return await store.get_user(conn, user_id)


async def create_api_token(pool: Pool, actor: Actor, *, email: str, name: str = "") -> str:
    """Create a bearer token for the user with this email; the token is shown only once."""
    async with transaction(pool) as conn:
        found = await store.find_user_by_email(conn, email.strip().lower())
        if found is None:
            raise NotFound(f"no user with email {email}", field="email")
        user = found[0]
        token = new_token("cc_")
        token_id = await store.insert_token(
            conn, user_id=user.id, token_hash=token_digest(token), name=name
        )
        await audit.record_change(
            conn,
            actor,
            "api_token",
            token_id,
            "created",
            after={"user_id": str(user.id), "name": name},
        )
    return token


async def user_for_token(pool: Pool, token: str, *, now: datetime) -> User | None:
    async with pool.acquire() as conn:
        return await store.find_token_user(conn, token_digest(token), now)


async def list_api_tokens(pool: Pool, user: User) -> list[ApiToken]:
    """The user's own tokens that are not revoked, newest first (their secrets are not kept)."""
    async with pool.acquire() as conn:
        return await store.list_tokens(conn, user.id)


async def revoke_api_token(
    pool: Pool, actor: Actor, user: User, token_id: UUID, *, now: datetime
) -> None:
    async with transaction(pool) as conn:
        if not await store.revoke_token(conn, token_id, user.id, now):
            raise NotFound("no such token")
        await audit.record_change(conn, actor, "api_token", token_id, "revoked")


async def purge_expired_sessions(pool: Pool, *, now: datetime) -> int:
    """Delete sessions that ended over a day ago, and login throttle rows that hold nothing
    back any more (window over, no recent success to remember)."""
    async with transaction(pool) as conn:
        await store.delete_idle_throttles(
            conn, window_before=now - WINDOW, trusted_before=now - TRUSTED_FOR
        )
        return await store.delete_expired_sessions(conn, now - timedelta(days=1))

"""SQL for users, sessions, API tokens and login throttles. The only module touching them."""

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.errors import Conflict, NotFound
from contact_center.users.model import ApiToken, Role, User
from contact_center.users.throttle import Counter, Scope

USER_COLUMNS = "id, email, name, role, active, created_at, locale"

INSERT_USER = f"""
INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
ON CONFLICT (email) DO NOTHING
RETURNING {USER_COLUMNS}
"""
GET_USER = f"SELECT {USER_COLUMNS} FROM users WHERE id = $1"
FIND_USER_BY_EMAIL = f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1"
LIST_USERS = f"SELECT {USER_COLUMNS} FROM users ORDER BY role, email"
LOCK_PASSWORD_HASH = "SELECT password_hash FROM users WHERE id = $1 AND active FOR UPDATE"
UPDATE_PASSWORD = "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1"
UPDATE_ROLE = "UPDATE users SET role = $2, updated_at = now() WHERE id = $1"
UPDATE_LOCALE = "UPDATE users SET locale = $2, updated_at = now() WHERE id = $1"
GET_PASSWORD_HASH = "SELECT password_hash FROM users WHERE id = $1 AND active"

INSERT_SESSION = """
INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)
"""
FIND_SESSION_USER = f"""
SELECT s.csrf_token, s.expires_at, {", ".join("u." + c for c in USER_COLUMNS.split(", "))}
FROM sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > $2 AND u.active
"""
REVOKE_SESSION = "UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at IS NULL"
REVOKE_USER_SESSIONS = """
UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL
"""
REVOKE_OTHER_SESSIONS = """
UPDATE sessions SET revoked_at = $2
WHERE user_id = $1 AND revoked_at IS NULL AND token_hash <> $3
"""
DELETE_EXPIRED_SESSIONS = "DELETE FROM sessions WHERE expires_at < $1 OR revoked_at < $1"

INSERT_TOKEN = "INSERT INTO api_tokens (user_id, token_hash, name) VALUES ($1, $2, $3) RETURNING id"
# Touching last_used_at on every request would make each API call a write; once a minute is
# plenty for "when was this token last used".
FIND_TOKEN_USER = f"""
WITH t AS (
    UPDATE api_tokens SET last_used_at = $2
    WHERE token_hash = $1 AND revoked_at IS NULL
      AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')
    RETURNING user_id
)
SELECT {", ".join("u." + c for c in USER_COLUMNS.split(", "))}
FROM api_tokens a JOIN users u ON u.id = a.user_id
WHERE a.token_hash = $1 AND a.revoked_at IS NULL AND u.active
"""
LIST_TOKENS = """
SELECT id, name, created_at, last_used_at FROM api_tokens
WHERE user_id = $1 AND revoked_at IS NULL
ORDER BY created_at DESC, id
"""
REVOKE_TOKEN = """
UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
RETURNING id
"""

THROTTLE_COLUMNS = "scope, key, failures, window_started_at, next_attempt_at, last_success_at"
# The no-op update makes ON CONFLICT lock an existing row; rows are locked in the order given.
LOCK_THROTTLES = f"""
INSERT INTO login_throttles (scope, key)
SELECT scope, key FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k(scope, key, n) ORDER BY n
ON CONFLICT (scope, key) DO UPDATE SET failures = login_throttles.failures
RETURNING {THROTTLE_COLUMNS}
"""
UPDATE_THROTTLES = """
UPDATE login_throttles t
SET failures = u.failures, window_started_at = u.window_started_at,
    next_attempt_at = u.next_attempt_at, last_success_at = u.last_success_at
FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[],
            $6::timestamptz[])
     AS u(scope, key, failures, window_started_at, next_attempt_at, last_success_at)
WHERE t.scope = u.scope AND t.key = u.key
"""
DELETE_IDLE_THROTTLES = """
DELETE FROM login_throttles
WHERE (window_started_at IS NULL OR window_started_at < $1)
  AND (last_success_at IS NULL OR last_success_at < $2)
"""


def _user(row: Any) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        active=row["active"],
        created_at=row["created_at"],
        locale=row["locale"],
    )


async def insert_user(conn: Conn, *, email: str, name: str, role: Role, password_hash: str) -> User:
    row = await conn.fetchrow(INSERT_USER, email, name, str(role), password_hash)
    if row is None:
        raise Conflict(f"a user with email {email} already exists", field="email")
    return _user(row)


async def get_user(conn: Conn, user_id: UUID) -> User:
    row = await conn.fetchrow(GET_USER, user_id)
    if row is None:
        raise NotFound("no such user")
    return _user(row)


async def find_user_by_email(conn: Conn, email: str) -> tuple[User, str] | None:
    row = await conn.fetchrow(FIND_USER_BY_EMAIL, email)
    return None if row is None else (_user(row), row["password_hash"])


async def list_users(conn: Conn) -> list[User]:
    return [_user(r) for r in await conn.fetch(LIST_USERS)]


async def lock_password_hash(conn: Conn, user_id: UUID) -> str | None:
    """The active user's password hash, its row locked until the transaction ends."""
    found: str | None = await conn.fetchval(LOCK_PASSWORD_HASH, user_id)
    return found


async def update_password(conn: Conn, user_id: UUID, password_hash: str) -> None:
    await conn.execute(UPDATE_PASSWORD, user_id, password_hash)


async def update_locale(conn: Conn, user_id: UUID, locale: str) -> None:
    await conn.execute(UPDATE_LOCALE, user_id, locale)


async def get_password_hash(conn: Conn, user_id: UUID) -> str | None:
    found: str | None = await conn.fetchval(GET_PASSWORD_HASH, user_id)
    return found


async def revoke_other_sessions(
    conn: Conn, user_id: UUID, keep_token_hash: bytes, now: datetime
) -> None:
    await conn.execute(REVOKE_OTHER_SESSIONS, user_id, now, keep_token_hash)


async def update_role(conn: Conn, user_id: UUID, role: Role) -> None:
    await conn.execute(UPDATE_ROLE, user_id, str(role))


async def insert_session(
    conn: Conn, *, token_hash: bytes, user_id: UUID, csrf_token: str, expires_at: datetime
) -> None:
    await conn.execute(INSERT_SESSION, token_hash, user_id, csrf_token, expires_at)


async def find_session_user(
    conn: Conn, token_hash: bytes, now: datetime
) -> tuple[User, str, datetime] | None:
    row = await conn.fetchrow(FIND_SESSION_USER, token_hash, now)
    return None if row is None else (_user(row), row["csrf_token"], row["expires_at"])


async def revoke_session(conn: Conn, token_hash: bytes, now: datetime) -> None:
    await conn.execute(REVOKE_SESSION, token_hash, now)


async def revoke_user_sessions(conn: Conn, user_id: UUID, now: datetime) -> None:
    await conn.execute(REVOKE_USER_SESSIONS, user_id, now)


async def delete_expired_sessions(conn: Conn, now: datetime) -> int:
    result = await conn.execute(DELETE_EXPIRED_SESSIONS, now)
    return int(result.split()[-1])


async def insert_token(conn: Conn, *, user_id: UUID, token_hash: bytes, name: str) -> UUID:
    token_id: UUID = await conn.fetchval(INSERT_TOKEN, user_id, token_hash, name)
    return token_id


async def find_token_user(conn: Conn, token_hash: bytes, now: datetime) -> User | None:
    row = await conn.fetchrow(FIND_TOKEN_USER, token_hash, now)
    return None if row is None else _user(row)


async def list_tokens(conn: Conn, user_id: UUID) -> list[ApiToken]:
    return [
        ApiToken(
            id=r["id"], name=r["name"], created_at=r["created_at"], last_used_at=r["last_used_at"]
        )
        for r in await conn.fetch(LIST_TOKENS, user_id)
    ]


async def revoke_token(conn: Conn, token_id: UUID, user_id: UUID, now: datetime) -> bool:
    return await conn.fetchval(REVOKE_TOKEN, token_id, user_id, now) is not None


async def lock_throttles(conn: Conn, keys: list[tuple[Scope, str]]) -> list[Counter]:
    """The counters for these keys, created when missing and locked until the transaction
    ends, so that concurrent logins charge them one after another. Returned in `keys` order."""
    rows = await conn.fetch(
        LOCK_THROTTLES, [str(scope) for scope, _ in keys], [key for _, key in keys]
    )
    by_key = {
        (Scope(r["scope"]), r["key"]): Counter(
            scope=Scope(r["scope"]),
            key=r["key"],
            failures=r["failures"],
            window_started_at=r["window_started_at"],
            next_attempt_at=r["next_attempt_at"],
            last_success_at=r["last_success_at"],
        )
        for r in rows
    }
    return [by_key[k] for k in keys]


async def update_throttles(conn: Conn, counters: list[Counter]) -> None:
    """Store counters locked by `lock_throttles` in this transaction."""
    await conn.execute(
        UPDATE_THROTTLES,
        [str(c.scope) for c in counters],
        [c.key for c in counters],
        [c.failures for c in counters],
        [c.window_started_at for c in counters],
        [c.next_attempt_at for c in counters],
        [c.last_success_at for c in counters],
    )


async def delete_idle_throttles(
    conn: Conn, *, window_before: datetime, trusted_before: datetime
) -> int:
    result = await conn.execute(DELETE_IDLE_THROTTLES, window_before, trusted_before)
    return int(result.split()[-1])

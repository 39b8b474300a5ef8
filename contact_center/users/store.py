"""SQL for users, sessions, API tokens and failed logins. The only module touching them."""

from datetime import datetime
from typing import Any
from uuid import UUID

from contact_center.db import Conn
from contact_center.errors import Conflict, NotFound
from contact_center.users.model import Role, User

USER_COLUMNS = "id, email, name, role, active, created_at"

INSERT_USER = f"""
INSERT INTO users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
ON CONFLICT (email) DO NOTHING
RETURNING {USER_COLUMNS}
"""
GET_USER = f"SELECT {USER_COLUMNS} FROM users WHERE id = $1"
FIND_USER_BY_EMAIL = f"SELECT {USER_COLUMNS}, password_hash FROM users WHERE email = $1"
LIST_USERS = f"SELECT {USER_COLUMNS} FROM users ORDER BY role, email"
UPDATE_PASSWORD = "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1"
UPDATE_ROLE = "UPDATE users SET role = $2, updated_at = now() WHERE id = $1"

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
REVOKE_TOKEN = """
UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL
RETURNING id
"""

INSERT_LOGIN_FAILURE = "INSERT INTO login_failures (email, remote, at) VALUES ($1, $2, $3)"
COUNT_LOGIN_FAILURES = """
SELECT (SELECT count(*) FROM login_failures WHERE email = $1 AND at > $3) AS by_email,
       (SELECT count(*) FROM login_failures WHERE remote = $2 AND at > $3) AS by_remote
"""


def _user(row: Any) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=Role(row["role"]),
        active=row["active"],
        created_at=row["created_at"],
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


async def update_password(conn: Conn, user_id: UUID, password_hash: str) -> None:
    await conn.execute(UPDATE_PASSWORD, user_id, password_hash)


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


async def revoke_token(conn: Conn, token_id: UUID, user_id: UUID, now: datetime) -> bool:
    return await conn.fetchval(REVOKE_TOKEN, token_id, user_id, now) is not None


async def insert_login_failure(conn: Conn, *, email: str, remote: str, at: datetime) -> None:
    await conn.execute(INSERT_LOGIN_FAILURE, email, remote, at)


async def count_login_failures(
    conn: Conn, *, email: str, remote: str, since: datetime
) -> tuple[int, int]:
    row = await conn.fetchrow(COUNT_LOGIN_FAILURES, email, remote, since)
    assert row is not None
    return int(row["by_email"]), int(row["by_remote"])

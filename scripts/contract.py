"""Check the running service against its own OpenAPI document with schemathesis.

Starts the web app on a free local port against a fresh database (on DATABASE_URL's server,
or `--dsn`, or an embedded PostgreSQL in a temporary folder), loads demo-like data, creates an
API token per role and runs `st run` over every operation with real ids: each `{id}` path
parameter and each id field of a body is drawn from the ids of existing objects most of the
time (schemathesis dictionaries), and from random UUIDs otherwise.

    .venv/bin/python scripts/contract.py --quick        # scripts/test's short run
    scripts/schemathesis                                # the long run (100 examples each)

The last line printed is one JSON object with the figures (operations, test cases, failures).
Exit status 0 means no server error and no mismatch between the service and its document.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import logging
import os
import secrets
import socket
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import asyncpg
from aiohttp import ClientSession, web
from contract_config import (
    FEED_EMAIL,
    LISTS,
    LOGIN_EMAIL,
    LOGIN_PASSWORD,
    OBJECT_LISTS,
    config_toml,
    summarize,
)

from contact_center import calls, customers, demo, merges, routing, tickets, users, visits
from contact_center.app import create_app
from contact_center.audit import Actor
from contact_center.config import Secret, Settings
from contact_center.db import Pool, create_pool, transaction
from contact_center.db.embedded import start_embedded
from contact_center.db.migrate import migrate
from contact_center.tickets import Channel, InboundContact, InboundFile
from contact_center.timeutil import utc_now
from contact_center.users import Role

HARNESS = Actor.system("contract")


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@asynccontextmanager
async def fresh_database(server_dsn: str | None) -> AsyncIterator[str]:
    """A new migrated database with a random name, dropped on the way out."""
    with tempfile.TemporaryDirectory(prefix="cc-contract-") as folder:
        embedded = None
        if server_dsn is None:
            embedded = start_embedded(Path(folder), delete_on_exit=True)
            server_dsn = embedded.uri("postgres")
        name = f"cc_contract_{secrets.token_hex(4)}"
        admin = await asyncpg.connect(server_dsn)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
            dsn = urlunsplit(urlsplit(server_dsn)._replace(path=f"/{name}"))
            await migrate(dsn)
            yield dsn
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()
            if embedded is not None:
                embedded.stop()


async def seed(
    pool: Pool, settings: Settings, size: int, role: Role
) -> tuple[dict[str, str], dict[str, Any]]:
    """Demo data plus one attachment; a bearer token per role and the ids of real objects.
    The run works as the first user of `role`."""
    await demo.load_demo_if_empty(pool, settings, size=size)
    found = await customers.search_customers(pool, None, region="US", limit=size)
    person = found[0]
    photo = await tickets.intake(
        pool,
        InboundContact(
            channel=Channel.EMAIL,
            provider_id=f"<{secrets.token_hex(8)}@contract.example.net>",
            from_address=person.emails[0] if person.emails else "someone@example.net",
            to_address=settings.support_address,
            subject="A photo of the damage",
            text="See the attached picture.",
            html="<p>See the attached <b>picture</b>.</p>",
            files=[InboundFile("damage.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(32))],
        ),
        now=utc_now(),
        options=tickets.intake_options(settings),
    )
    staff = await users.list_users(pool)
    tokens = {}
    for role in Role:
        user = next(u for u in staff if u.role is role)
        tokens[str(role)] = await users.create_api_token(pool, HARNESS, email=user.email)
    me = next(u for u in staff if u.role is role)
    # Tokens the run may revoke, and users it may change: never the ones it works with.
    for n in range(20):
        await users.create_api_token(pool, HARNESS, email=me.email, name=f"spare {n}")
    # A user whose credentials the login operation is given half of the time.
    await users.create_user(
        pool, HARNESS, email=LOGIN_EMAIL, role=Role.AGENT, password=LOGIN_PASSWORD, name="Login"
    )
    # An account manager whose calendar feed the public feed operation reads: the run never
    # changes, deactivates or rotates them (they are left out of the user and manager ids).
    reader = await users.create_user(
        pool,
        HARNESS,
        email=FEED_EMAIL,
        role=Role.ACCOUNT_MANAGER,
        password=LOGIN_PASSWORD,
        name="Feed reader",
    )
    feed = await visits.feed_token(pool, HARNESS, reader.id, rotate=False, now=utc_now())
    # A reply of the run's user still in its undo window, so that undoing it can succeed.
    await tickets.send_reply(
        pool,
        Actor(label=me.email, user_id=me.id),
        photo.ticket_id,
        channel=Channel.EMAIL,
        text="Thank you, we will replace it.",
        now=utc_now(),
        options=dataclasses.replace(tickets.reply_options(settings), undo_seconds=3600),
    )
    # Merged-away cards, so that unmerging has something to undo.
    for survivor, away in zip(found[-6::2], found[-5::2], strict=True):
        await merges.merge_customers(pool, HARNESS, survivor.id, away.id)
    await _seed_routing(pool, [*[u for u in staff if u.id != me.id][:5], me])
    ids = await collect_ids(pool, exclude_users={me.email, FEED_EMAIL})
    ids["feed"] = [feed]
    async with pool.acquire() as conn:
        ids["message"] = [
            str(r["id"])
            for r in await conn.fetch(
                "SELECT id FROM messages WHERE ticket_id = $1", photo.ticket_id
            )
        ]
    ids["message_ticket"] = [str(photo.ticket_id)]
    return tokens, ids


async def _enqueue_callback(pool: Pool) -> None:
    request = routing.ItemRequest(
        kind=routing.ItemKind.CALLBACK,
        queue="general",
        priority=routing.Priority.URGENT,
        callback_id=uuid4(),
        summary={"customer_name": "Contract Caller"},
    )
    async with transaction(pool) as conn:
        await routing.enqueue_item(conn, request, now=utc_now())


async def _seed_routing(pool: Pool, agents: list[users.User]) -> None:
    """Waiting callbacks and agents who are available, so that offers (the run's user among
    them: one accepted, one rejected, one pending) and items exist to accept, reject and
    assign."""
    now = utc_now()
    me = agents[-1]
    # The demo's complaints from key accounts left callback tasks waiting, older than the
    # harness's: done with, so that the offers below are the ones this sets up.
    for task in await calls.list_callbacks(pool, limit=500):
        await calls.finish_callback(
            pool,
            HARNESS,
            task.id,
            outcome=calls.CallbackOutcome.NOT_NEEDED,
            note="",
            now=now,
            supervisor=True,
        )
    await routing.set_presence(pool, HARNESS, me.id, routing.Presence.AVAILABLE, "", now=now)
    as_me = Actor(label=me.email, user_id=me.id)
    for decide in ("accept", "reject"):
        await _enqueue_callback(pool)
        await routing.dispatch(pool, now=now)
        view = await routing.current_offer(pool, me.id)
        assert view is not None, "the run's user was offered nothing"
        if decide == "accept":
            await routing.accept_offer(pool, as_me, view.offer.id, now=now)
        else:
            await routing.reject_offer(pool, as_me, view.offer.id, now=now)
    for agent in agents:
        await routing.set_presence(pool, HARNESS, agent.id, routing.Presence.AVAILABLE, "", now=now)
    for _ in range(len(agents) + 6):
        await _enqueue_callback(pool)
    await routing.dispatch(pool, now=now, options=routing.RoutingOptions(voice_offer_seconds=3600))


async def collect_ids(pool: Pool, *, exclude_users: set[str]) -> dict[str, Any]:
    async with pool.acquire() as conn:
        rows = {
            kind: [str(r["id"]) for r in await conn.fetch(query)]
            for kind, query in {
                "customer": "SELECT id FROM customers ORDER BY created_at LIMIT 50",
                "organization": "SELECT id FROM organizations WHERE NOT personal LIMIT 50",
                "ticket": "SELECT id FROM tickets ORDER BY created_at DESC LIMIT 50",
                "attachment": "SELECT id FROM attachments LIMIT 50",
                "canned": "SELECT id FROM canned_replies LIMIT 50",
                "broadcast": "SELECT id FROM broadcasts LIMIT 50",
                "token": "SELECT id FROM api_tokens WHERE name LIKE 'spare %'",
                "merged": "SELECT id FROM customers WHERE merged_into_id IS NOT NULL",
                "offer": "SELECT id FROM offers LIMIT 50",
                "item": "SELECT id FROM work_items LIMIT 50",
                "live_item": "SELECT id FROM work_items WHERE state IN ('waiting', 'offered')"
                " AND kind <> 'call' LIMIT 50",
                "queue": "SELECT name AS id FROM queues",
                "case_ticket": "SELECT ticket_id AS id FROM cases WHERE state <> 'withdrawn'",
                "workflow": "SELECT DISTINCT name AS id FROM workflow_definitions",
                "case_label": "SELECT key AS id FROM case_labels",
                "account_task": "SELECT id FROM account_tasks LIMIT 50",
                "visit": "SELECT id FROM visits ORDER BY day DESC LIMIT 50",
                "leave_day": "SELECT DISTINCT day::text AS id FROM visit_leave",
            }.items()
        }
    rows["user"] = [str(u.id) for u in await users.list_users(pool) if u.email not in exclude_users]
    rows["manager_user"] = [
        str(u.id)
        for u in await users.list_users(pool)
        if u.email not in exclude_users and u.role is users.Role.ACCOUNT_MANAGER
    ]
    rows["manager"] = rows["manager_user"]  # paths naming a manager: the same ones
    rows["agent_user"] = [
        str(u.id)
        for u in await users.list_users(pool)
        if u.email not in exclude_users and u.role is users.Role.AGENT
    ]
    return rows


async def read_service(
    base_url: str, token: str, ids: dict[str, Any]
) -> tuple[str, dict[str, list[str]]]:
    """The served OpenAPI document, and the `next_cursor`s the lists hand out (a cursor is
    opaque, so only these are valid). Schemathesis is given the document as a file: read from
    its URL, it would leave out the operation that serves it."""
    found: dict[str, list[str]] = {}
    headers = {"Authorization": f"Bearer {token}"}
    async with ClientSession(base_url, headers=headers) as http:
        async with http.get("/api/v1/openapi.json") as response:
            document = await response.text()
        for path in LISTS:
            for limit in (1, 2, 5):
                async with http.get(path, params={"limit": limit}) as response:
                    data = await response.json()
                if data.get("next_cursor"):
                    found.setdefault(path, []).append(data["next_cursor"])
        for path, kind in OBJECT_LISTS.items():
            for object_id in ids.get(kind, [])[:20]:
                async with http.get(
                    path.replace("{id}", object_id), params={"limit": 1}
                ) as response:
                    data = await response.json() if response.status == 200 else {}
                if data.get("next_cursor"):
                    found.setdefault(path, []).append(data["next_cursor"])
    return document, found


async def run(args: argparse.Namespace) -> int:
    # Refusals are the point of the run: the service logs only what went wrong on its side.
    logging.basicConfig(level=logging.ERROR)
    logging.getLogger("aiohttp.server").setLevel(logging.CRITICAL)  # the probes' bad requests
    sock = _free_socket()
    port = sock.getsockname()[1]
    settings = Settings(
        public_url=f"http://127.0.0.1:{port}",
        secret_key=Secret(secrets.token_hex(16)),
        default_phone_region="US",
        mail_domain="example.com",
        twilio_from_number="+12025550100",  # replies by SMS are queued, never sent (no worker)
        demo=True,  # so the development sink's pages answer too
    )
    async with fresh_database(args.dsn or os.environ.get("DATABASE_URL")) as dsn:
        pool = await create_pool(dsn, min_size=1, max_size=10)
        try:
            tokens, ids = await seed(pool, settings, args.size, Role(args.role))
            runner = web.AppRunner(create_app(settings, pool), access_log=None)
            await runner.setup()
            await web.SockSite(runner, sock).start()
            try:
                document, cursors = await read_service(settings.public_url, tokens["admin"], ids)
                return await schemathesis(args, settings, tokens[args.role], ids, cursors, document)
            finally:
                await runner.cleanup()
        finally:
            await pool.close()


async def schemathesis(
    args: argparse.Namespace,
    settings: Settings,
    token: str,
    ids: dict[str, list[str]],
    cursors: dict[str, list[str]],
    document: str,
) -> int:
    with tempfile.TemporaryDirectory(prefix="cc-st-") as folder:
        config = Path(folder) / "schemathesis.toml"
        config.write_text(config_toml(ids, cursors, examples=args.examples, quick=args.quick))
        spec = Path(folder) / "openapi.json"
        spec.write_text(document)
        report = Path(args.report) if args.report else Path(folder) / "report.json"
        command = [
            str(Path(sys.executable).with_name("st")),
            "--config-file",
            str(config),
            "run",
            str(spec),
            "--url",
            settings.public_url,
            "--header",
            f"Authorization: Bearer {token}",
            "--phases",
            ",".join(args.phases),
            "--seed",
            str(args.seed),
            "--workers",
            str(args.workers),
            "--report",
            "json",
            "--report-json-path",
            str(report),
            "--no-color",
        ]
        started = time.monotonic()
        # Run in the temporary folder: schemathesis keeps a cache in its working directory.
        # The hooks read real objects (a visit's version) from the service with these.
        env = {**os.environ, "CONTRACT_URL": settings.public_url, "CONTRACT_TOKEN": token}
        process = await asyncio.create_subprocess_exec(*command, cwd=folder, env=env)
        status = await process.wait()
        figures = summarize(report)
        figures.update(
            role=args.role,
            examples_per_operation=args.examples,
            seconds=round(time.monotonic() - started, 1),
            exit_status=status,
        )
        print(json.dumps({"contract": figures}), flush=True)
        return status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dsn", help="PostgreSQL server to create the run's database on")
    parser.add_argument("--quick", action="store_true", help="the short run scripts/test makes")
    parser.add_argument("--examples", type=int, help="test cases per operation and phase")
    parser.add_argument("--role", default="admin", choices=[str(r) for r in Role])
    parser.add_argument("--seed", type=int, default=1)
    # One worker: schemathesis's threads can trip over CPython 3.11's ast module ("AST
    # constructor recursion depth mismatch", a tool error, not a finding).
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--size", type=int, help="demo customers to load")
    parser.add_argument("--report", help="keep schemathesis's JSON report at this path")
    args = parser.parse_args()
    args.report = args.report and os.path.abspath(args.report)  # schemathesis runs elsewhere
    args.examples = args.examples or (5 if args.quick else 100)
    args.size = args.size or (150 if args.quick else 300)
    args.phases = ["examples", "coverage", "fuzzing"]
    sys.exit(asyncio.run(run(args)))


if __name__ == "__main__":
    main()

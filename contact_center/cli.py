"""The `contact-center` command. Each subcommand builds Settings and calls one service."""

from __future__ import annotations

import argparse
import asyncio
import errno
import json
import logging
import os
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from uuid import UUID

from contact_center import logs
from contact_center.audit import Actor
from contact_center.config import ConfigError, Settings, load_settings
from contact_center.db.embedded import EmbeddedUnavailable
from contact_center.errors import DomainError

CLI = Actor.system("cli")
# Connections besides the timers' (`timers.CONNECTIONS`: four batches and a listener) that a
# worker holds at once: routing's listener and dispatch round (2), the job queue's listener,
# scheduler and claims (3), and jobs running plus headroom (5), so a backlog of deadlines after
# downtime never takes the connections outbox delivery, actions and routing need.
WORKER_CONNECTIONS = 2 + 3 + 5
# serve runs the worker's loops and the web app's requests.
WEB_CONNECTIONS = 10


def _pool_size(*, web: bool) -> int:
    from contact_center.workflows.timers import CONNECTIONS

    return CONNECTIONS + WORKER_CONNECTIONS + (WEB_CONNECTIONS if web else 0)


log = logging.getLogger(__name__)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contact-center", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("serve", "web, worker and inbound SMTP in one process"),
        ("web", "the web process"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--port", type=int, help="overrides PORT")
        p.add_argument("--host", help="overrides HOST")
        if name == "serve":
            p.add_argument(
                "--demo",
                action="store_true",
                help="demo mode: load demo data into an empty database, send to the "
                "development sink when no provider is configured (sets DEMO=true)",
            )
    sub.add_parser("smtp", help="the inbound mail server")
    worker = sub.add_parser("worker", help="the background job process")
    worker.add_argument("--run-once", metavar="JOB", help="run one job now and exit")
    sub.add_parser("migrate", help="apply pending database migrations")
    sub.add_parser("demo", help="load made-up demo data")
    user = sub.add_parser("user", help="manage staff users").add_subparsers(
        dest="action", required=True
    )
    create = user.add_parser("create", help="create a user")
    create.add_argument("--email", required=True)
    create.add_argument(
        "--role", required=True, choices=["agent", "account_manager", "supervisor", "admin"]
    )
    create.add_argument("--password", required=True)
    create.add_argument("--name", default="")
    token = sub.add_parser("token", help="API tokens").add_subparsers(dest="action", required=True)
    token_create = token.add_parser("create", help="print a new API token for a user")
    token_create.add_argument("--email", required=True)
    token_create.add_argument("--name", default="cli")
    imp = sub.add_parser("import", help="import data").add_subparsers(dest="what", required=True)
    imp_customers = imp.add_parser("customers", help="customers from a CSV file")
    imp_customers.add_argument("file", type=Path)
    imp_values = imp.add_parser("values", help="account values (orders, revenue) from a CSV file")
    imp_values.add_argument("file", type=Path)
    exp = sub.add_parser("export", help="export data").add_subparsers(dest="what", required=True)
    exp_customer = exp.add_parser("customer", help="all personal data of one customer as JSON")
    exp_customer.add_argument("id")
    return parser


async def _serve(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center import demo
    from contact_center.app import (
        build_call_control,
        build_senders,
        close_call_control,
        close_senders,
        create_smtp_server,
        report_senders,
    )
    from contact_center.jobs import JobContext
    from contact_center.jobs.worker import worker_running
    from contact_center.routing.runner import options_from, routing_running
    from contact_center.runtime import open_database, start_web, wait_for_stop
    from contact_center.workflows.timers import timers_running

    async with open_database(settings, max_size=_pool_size(web=True)) as pool:
        if settings.demo:
            summary = await demo.load_demo_if_empty(pool, settings)
            print(demo.describe(summary, settings), flush=True)
        runner = await start_web(settings, pool)
        smtp = await create_smtp_server(settings, pool)
        print(
            f"contact-center is serving on {settings.public_url} (API and webhooks), "
            f"inbound mail on {settings.inbound_smtp_host}:{settings.inbound_smtp_port} "
            f"for @{settings.mail_domain}",
            flush=True,
        )
        if settings.demo:
            default_url = settings.public_url == "http://localhost:8080"
            flag = "" if default_url else f" --public-url {settings.public_url}"
            print(
                f"development sink: {settings.public_url}/dev/outbox (what would have been "
                f"sent); test traffic: .venv/bin/python scripts/simulate.py{flag}",
                flush=True,
            )
        report_senders(settings)
        senders = build_senders(settings, pool)
        control = build_call_control(settings)
        try:
            async with (
                worker_running(pool, JobContext(pool, settings, senders, control)),
                routing_running(pool, options_from(settings)),
                timers_running(pool),
            ):
                await wait_for_stop()
        finally:
            smtp.close()
            await runner.cleanup()
            await close_senders(senders)
            await close_call_control(control)
    # The pool is closed too by now; the embedded database (if any) stops with the process.
    log.info(
        "stopped: web server on %s, inbound SMTP on %s:%s, job worker, outbound senders, "
        "database pool",
        settings.public_url,
        settings.inbound_smtp_host,
        settings.inbound_smtp_port,
    )
    return 0


async def _smtp(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center.app import create_smtp_server
    from contact_center.runtime import open_database, wait_for_stop

    async with open_database(settings, max_size=5) as pool:
        server = await create_smtp_server(settings, pool)
        print(
            f"inbound mail on {settings.inbound_smtp_host}:{settings.inbound_smtp_port}", flush=True
        )
        await wait_for_stop()
        server.close()
    return 0


async def _web(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center.runtime import open_database, start_web, wait_for_stop

    async with open_database(settings) as pool:
        runner = await start_web(settings, pool)
        print(f"web process serving on {settings.public_url}", flush=True)
        await wait_for_stop()
        await runner.cleanup()
    return 0


async def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center.app import (
        build_call_control,
        build_senders,
        close_call_control,
        close_senders,
        report_senders,
    )
    from contact_center.jobs import JobContext
    from contact_center.jobs.worker import run_once, run_worker
    from contact_center.routing.runner import options_from, routing_running
    from contact_center.runtime import open_database
    from contact_center.workflows.timers import timers_running

    async with open_database(settings, max_size=_pool_size(web=False)) as pool:
        report_senders(settings)
        senders = build_senders(settings, pool)
        control = build_call_control(settings)
        context = JobContext(pool, settings, senders, control)
        try:
            if args.run_once:
                print(f"{args.run_once}: {await run_once(context, args.run_once)}")
            else:
                async with routing_running(pool, options_from(settings)), timers_running(pool):
                    await run_worker(pool, context)
        finally:
            await close_senders(senders)
            await close_call_control(control)
    return 0


async def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center.db.migrate import migrate
    from contact_center.runtime import database_url

    dsn = database_url(settings)
    applied = await migrate(dsn)
    await install_workflows(dsn)
    print(f"applied {len(applied)} migration(s)" + (": " + ", ".join(applied) if applied else ""))
    return 0


async def install_workflows(dsn: str) -> None:
    """The shipped workflow definitions and managed lists, where none are stored yet; the
    clocks of tickets opened before there were clocks."""
    from contact_center import workflows
    from contact_center.db import create_pool
    from contact_center.timeutil import utc_now

    pool = await create_pool(dsn, min_size=1, max_size=1)
    try:
        await workflows.install_defaults(pool, now=utc_now())
        await workflows.start_missing_clocks(pool, now=utc_now())
    finally:
        await pool.close()


async def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center import demo
    from contact_center.runtime import open_database

    async with open_database(settings) as pool:
        print(demo.describe(await demo.load_demo_if_empty(pool, settings), settings))
    return 0


async def _user(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center import users
    from contact_center.runtime import open_database

    async with open_database(settings, max_size=2) as pool:
        user = await users.create_user(
            pool,
            CLI,
            email=args.email,
            role=args.role,
            password=args.password,
            name=args.name,
            passwords=users.passwords_for(settings),
        )
    print(f"created {user.role} {user.email} ({user.id})")
    return 0


async def _token(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center import users
    from contact_center.runtime import open_database

    async with open_database(settings, max_size=2) as pool:
        print(await users.create_api_token(pool, CLI, email=args.email, name=args.name))
    return 0


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center.customers.importing import import_customers_csv
    from contact_center.runtime import open_database

    if args.what == "values":
        return await _import_values(settings, args.file)

    async with open_database(settings, max_size=2) as pool:
        report = await import_customers_csv(
            pool, CLI, args.file, region=settings.default_phone_region
        )
    print(report.summary())
    return 0 if not report.errors else 1


async def _import_values(settings: Settings, file: Path) -> int:
    from contact_center import accounts
    from contact_center.runtime import open_database
    from contact_center.timeutil import utc_now

    text = (await asyncio.to_thread(file.read_bytes)).decode("utf-8-sig")
    async with open_database(settings, max_size=2) as pool:
        result = await accounts.import_csv(
            pool, CLI, text, region=settings.default_phone_region, now=utc_now()
        )
    for rejected in result.rejected:
        print(f"line {rejected.line}: {rejected.reason}", file=sys.stderr)
    print(result.summary())
    return 0 if not result.rejected else 1


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    from contact_center import privacy
    from contact_center.runtime import open_database

    async with open_database(settings, max_size=2) as pool:
        data = await privacy.export_customer(pool, CLI, UUID(args.id))
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return 0


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "serve": _serve,
    "web": _web,
    "smtp": _smtp,
    "worker": _worker,
    "migrate": _migrate,
    "demo": _demo,
    "user": _user,
    "token": _token,
    "import": _import,
    "export": _export,
}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    env = dict(os.environ)
    if getattr(args, "port", None) is not None:
        env["PORT"] = str(args.port)
    if getattr(args, "host", None):
        env["HOST"] = args.host
    if getattr(args, "demo", False):
        env["DEMO"] = "true"
    try:
        settings = load_settings(env)
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level, settings.log_format)
    try:
        return asyncio.run(COMMANDS[args.command](settings, args))
    except DomainError as exc:
        print(f"error: {exc.message}" + (f" ({exc.field})" if exc.field else ""), file=sys.stderr)
        return 1
    except EmbeddedUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (LookupError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"error: {exc}\nanother service holds that port; choose free ones with --port N "
            "(HTTP) and INBOUND_SMTP_PORT=N (mail)",
            file=sys.stderr,
        )
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

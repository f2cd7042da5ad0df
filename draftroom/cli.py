"""The ``draftroom`` command: serve, worker, scheduler, migrate, seed, users, loadtest, dev."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from draftroom.config import ConfigError, Settings, load_settings
from draftroom.errors import DraftroomError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="draftroom", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the web server (REST + Socket.IO)")
    worker = sub.add_parser("worker", help="run a taskiq worker pool")
    worker.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    sub.add_parser("scheduler", help="run the taskiq scheduler (exactly one per deployment)")
    sub.add_parser("migrate", help="apply database migrations")
    seed = sub.add_parser("seed", help="load reference data (idempotent)")
    seed.add_argument("--demo", action="store_true", help="also create the demo league")
    users = sub.add_parser("users", help="manage user accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    create = users_sub.add_parser("create", help="create a user")
    create.add_argument("name")
    create.add_argument("--email", required=True)
    create.add_argument("--password", required=True)
    create.add_argument("--admin", action="store_true")
    loadtest = sub.add_parser("loadtest", help="benchmark a running deployment")
    loadtest.add_argument("args", nargs=argparse.REMAINDER)
    sub.add_parser("dev", help="embedded PostgreSQL + Redis, migrate, seed, serve + worker")
    return parser


async def _with_database(settings: Settings, action: str, args: argparse.Namespace) -> None:
    # keeps each command's start-up light: it imports only what it runs
    from draftroom.db import engine

    database_url, _ = settings.require_services()
    engine.configure(database_url)
    await engine.open_pool(2)
    try:
        if action == "migrate":
            print(f"draftroom: {engine.migrated_line(await engine.migrate())}", flush=True)
        elif action == "seed":
            # keeps each command's start-up light: it imports only what it runs
            from draftroom.oneshot import command_runtime
            from draftroom.services.seed import seed

            async with command_runtime(settings) as rt:
                await seed(rt, demo=args.demo or settings.demo)
        elif action == "users":
            # keeps each command's start-up light: it imports only what it runs
            from draftroom.services.accounts import create_user

            user = await create_user(args.name, args.email, args.password, is_admin=args.admin)
            print(f"created user {user.username} (id {user.id})")
    finally:
        await engine.close_pool()


def _exec_taskiq(kind: str, settings: Settings, workers: int = 1) -> None:
    settings.require_services()
    argv = [sys.executable, "-m", "draftroom.tasks.launch", kind]
    if kind == "worker":
        argv += [
            "draftroom.tasks.broker:broker",
            "draftroom.tasks.jobs",
            "--workers",
            str(workers),
            "--shutdown-timeout",
            "5",
            "--wait-tasks-timeout",
            "5",
        ]
    else:
        argv += ["draftroom.tasks.scheduler:scheduler", "--skip-first-run"]
    os.execv(sys.executable, argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["loadtest"]:  # argparse's REMAINDER drops leading options: pass them on
        # keeps each command's start-up light: it imports only what it runs
        from draftroom.loadtest.main import main as loadtest_main

        return loadtest_main(argv[1:])
    args = _parser().parse_args(argv)
    try:
        settings = load_settings()
        if args.command == "serve":
            # keeps each command's start-up light: it imports only what it runs
            from draftroom.serve import run

            run(settings)
        elif args.command == "worker":
            _exec_taskiq("worker", settings, args.workers)
        elif args.command == "scheduler":
            _exec_taskiq("scheduler", settings)
        elif args.command in ("migrate", "seed", "users"):
            asyncio.run(_with_database(settings, args.command, args))
        elif args.command == "loadtest":
            # keeps each command's start-up light: it imports only what it runs
            from draftroom.loadtest.main import main as loadtest_main

            return loadtest_main(args.args)
        elif args.command == "dev":
            # keeps each command's start-up light: it imports only what it runs
            from draftroom.devserver import run_dev

            return run_dev(settings)
    except ConfigError as error:
        print(f"draftroom: configuration error: {error}", file=sys.stderr)
        return 2
    except DraftroomError as error:
        details = f" {error.details}" if error.details is not None else ""
        print(f"draftroom: {error.code}: {error.message}{details}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())

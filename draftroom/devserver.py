"""``draftroom dev`` (what `make dev` runs): embedded services when DATABASE_URL/REDIS_URL
are unset, migrate, seed with the demo, then serve + worker + scheduler until Ctrl-C/SIGTERM.
An embedded server that dies is restarted (with a log line) within ``SERVICE_CHECK_S``, and
so is a serve, worker or scheduler process that exits (say, after a Redis restart): every
scheduled job is a scan that catches up at its next tick (the poll takes every race without
results, checks every due check, the draft jobs every draft due), so work missed while a
process or Redis was down still runs. Every child and embedded server is stopped on exit."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
import time
from types import FrameType

from draftroom.config import Settings, child_environment
from draftroom.embedded import EmbeddedPostgres, EmbeddedRedis

SERVICE_CHECK_S = 2.0
"""How often ``draftroom dev`` checks that its embedded servers still run."""


def _start_services(settings: Settings) -> tuple[Settings, list[EmbeddedPostgres | EmbeddedRedis]]:
    started: list[EmbeddedPostgres | EmbeddedRedis] = []
    database_url, redis_url = settings.database_url, settings.redis_url
    if not database_url:
        postgres = EmbeddedPostgres(settings.data_dir / "postgres")
        database_url = postgres.start()
        started.append(postgres)
        print(f"draftroom: embedded PostgreSQL at {database_url}", flush=True)
    if not redis_url:
        redis = EmbeddedRedis(settings.data_dir / "redis")
        redis_url = redis.start()
        started.append(redis)
        print(f"draftroom: embedded Redis at {redis_url}", flush=True)
    return settings.with_services(database_url, redis_url), started


CHILDREN = ("serve", "worker", "scheduler")
"""The processes of the stack, each ``python -m draftroom.cli <name>``."""
MAX_QUICK_RESTARTS = 5
"""A child that exits this many times within ``QUICK_RESTART_S`` stops the whole stack."""
QUICK_RESTART_S = 60.0


class Child:
    """One process of the stack, started again when it exits (unless it keeps failing)."""

    def __init__(self, name: str, env: dict[str, str], argv: list[str] | None = None) -> None:
        self.name = name
        self.env = env
        self.argv = argv or [sys.executable, "-m", "draftroom.cli", name]
        self.exits: list[float] = []
        self.process = self._start()

    def _start(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.argv, env=self.env)

    def check(self) -> bool:
        """Restart the process if it exited; False when it exits too often to go on."""
        code = self.process.poll()
        if code is None:
            return True
        now = time.monotonic()
        self.exits = [t for t in self.exits if now - t < QUICK_RESTART_S] + [now]
        if len(self.exits) >= MAX_QUICK_RESTARTS:
            print(f"draftroom: {self.name} keeps exiting (code {code})", file=sys.stderr)
            return False
        print(f"draftroom: {self.name} exited (code {code}); restarting it", file=sys.stderr)
        self.process = self._start()
        return True


def restart_dead(services: list[EmbeddedPostgres | EmbeddedRedis]) -> list[str]:
    """Restart every embedded server that is not running; the names of those restarted."""
    restarted: list[str] = []
    for service in services:
        if service.alive():
            continue
        print(f"draftroom: embedded {service.name} is down; restarting it", file=sys.stderr)
        try:
            service.restart_after_crash()
        except Exception as error:
            print(f"draftroom: restarting {service.name} failed: {error}", file=sys.stderr)
            continue
        print(f"draftroom: embedded {service.name} restarted", file=sys.stderr, flush=True)
        restarted.append(service.name)
    return restarted


async def _prepare(settings: Settings) -> None:
    # keeps `make dev`'s supervisor light: only this step loads the database and the seed
    from draftroom.db import engine
    from draftroom.oneshot import command_runtime
    from draftroom.services.seed import seed

    database_url, _ = settings.require_services()
    engine.configure(database_url)
    await engine.open_pool(2)
    try:
        print(f"draftroom: {engine.migrated_line(await engine.migrate())}", flush=True)
        async with command_runtime(settings) as rt:
            await seed(rt, demo=settings.demo)
    finally:
        await engine.close_pool()


def _stop_all(children: list[Child], services: list[EmbeddedPostgres | EmbeddedRedis]) -> None:
    processes = [child.process for child in children]
    for child in processes:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 10
    for child in processes:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    for service in reversed(services):
        with contextlib.suppress(Exception):
            service.stop()


def run_dev(settings: Settings) -> int:
    """Run the whole stack in the foreground; returns the exit code."""
    settings, services = _start_services(settings)
    children: list[Child] = []
    stopping = False

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        asyncio.run(_prepare(settings))
        env = child_environment(
            {"DATABASE_URL": settings.database_url or "", "REDIS_URL": settings.redis_url or ""}
        )
        children += [Child(name, env) for name in CHILDREN]
        print(f"draftroom: serving on http://{settings.host}:{settings.port}/", flush=True)
        next_check = time.monotonic() + SERVICE_CHECK_S
        while not stopping:
            if not all(child.check() for child in children):
                print("draftroom: stopping everything", file=sys.stderr)
                return 1
            if time.monotonic() >= next_check:
                restart_dead(services)
                next_check = time.monotonic() + SERVICE_CHECK_S
            time.sleep(0.2)
        return 0
    finally:
        _stop_all(children, services)
        print("draftroom: stopped", flush=True)

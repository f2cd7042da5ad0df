"""``draftroom dev`` (what `make dev` runs): embedded services when DATABASE_URL/REDIS_URL
are unset, migrate, seed with the demo, then serve + worker + scheduler until Ctrl-C/SIGTERM.
An embedded server that dies is restarted (with a log line) within ``SERVICE_CHECK_S``.
Every child and embedded server is stopped on exit."""

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
    from draftroom.db import engine
    from draftroom.oneshot import command_runtime
    from draftroom.services.seed import seed

    database_url, _ = settings.require_services()
    engine.configure(database_url)
    await engine.open_pool(2)
    try:
        await engine.migrate()
        async with command_runtime(settings) as rt:
            await seed(rt, demo=settings.demo)
    finally:
        await engine.close_pool()


def _stop_all(
    children: list[subprocess.Popen[bytes]], services: list[EmbeddedPostgres | EmbeddedRedis]
) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + 10
    for child in children:
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
    children: list[subprocess.Popen[bytes]] = []
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
        for command in ("serve", "worker", "scheduler"):
            children.append(
                subprocess.Popen([sys.executable, "-m", "draftroom.cli", command], env=env)
            )
        print(f"draftroom: serving on http://{settings.host}:{settings.port}/", flush=True)
        next_check = time.monotonic() + SERVICE_CHECK_S
        while not stopping:
            if any(child.poll() is not None for child in children):
                print("draftroom: a process exited; stopping everything", file=sys.stderr)
                return 1
            if time.monotonic() >= next_check:
                restart_dead(services)
                next_check = time.monotonic() + SERVICE_CHECK_S
            time.sleep(0.2)
        return 0
    finally:
        _stop_all(children, services)
        print("draftroom: stopped", flush=True)

"""What thousands of long draft clocks cost one ``draftroom serve`` process (issue 13).

``python -m draftroom.loadtest.slowclocks --drafts 5000`` starts embedded PostgreSQL and
Redis, migrates and seeds, creates ``--drafts`` leagues of two teams in bulk (straight in
the database), each with one draft of 24 h clocks whose ``opens_at`` is now, then starts
ONE real ``draftroom serve`` subprocess. Its supervisor opens every draft (a real commit
each) and runs its clock; once it holds every lease and every draft is live, the script
lets it settle, then samples a quiet minute: the serve process's RSS and CPU, the Redis
commands it causes (``INFO commandstats``, commands run inside scripts included) and
PostgreSQL's CPU. Nobody connects: only the clocks run. A small one-off measurement, not
a load test (a few minutes, 2 cores).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import secrets
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import redis.asyncio as aioredis

from draftroom.config import child_environment, load_settings
from draftroom.db import engine
from draftroom.db.queries import loadtest as queries
from draftroom.domain.league_settings import parse_settings
from draftroom.embedded import EmbeddedPostgres, EmbeddedRedis
from draftroom.loadtest import stack
from draftroom.loadtest.populate import _create_accounts

PICK_SECONDS = 86_400
SEASON = 2026


async def create_drafts(
    count: int, *, season: int = SEASON, pick_seconds: int = PICK_SECONDS
) -> list[int]:
    """``count`` private leagues of two teams, each with a draft of ``pick_seconds`` clocks
    opening now (in the database: the first race of ``season``); returns the draft ids."""
    now = datetime.now(UTC)
    users = await _create_accounts(secrets.token_hex(3), 2 * count, "x")
    settings = parse_settings(
        {"pick_seconds": pick_seconds, "picks_per_team": 2, "draft_opens_hours_before": 0}
    ).to_dict()
    return await queries.insert_slow_drafts(
        users, count, season=season, settings=settings, pick_seconds=pick_seconds, now=now
    )


async def commands_processed(redis: aioredis.Redis) -> tuple[int, dict[str, int]]:
    """Redis's total commands processed and the calls per command (scripts' included)."""
    stats = await redis.info("commandstats")
    calls = {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items()}
    total = int((await redis.info("stats"))["total_commands_processed"])
    return total, calls


async def wait_owned(redis: aioredis.Redis, count: int, timeout_s: float) -> float:
    """Seconds until every draft is live and every lease is held."""
    started = time.monotonic()
    ids = await queries.all_draft_ids()
    keys = [f"draft:{i}:owner" for i in ids]
    while time.monotonic() - started < timeout_s:
        live = await queries.live_draft_count()
        owned = sum(1 for v in await redis.mget(keys) if v is not None)
        if live >= count and owned >= count:
            return time.monotonic() - started
        await asyncio.sleep(1.0)
    raise RuntimeError(f"after {timeout_s:.0f} s: {live} live, {owned} leases held")


async def measure(drafts: int, quiet_s: float, settle_s: float) -> dict[str, Any]:
    """Set up, start one serve process, wait, sample the quiet period; return the figures."""
    data_dir = Path(tempfile.mkdtemp(prefix="draftroom-slowclocks-"))
    (data_dir / "logs").mkdir()
    postgres = EmbeddedPostgres(data_dir / "postgres")
    redis_server = EmbeddedRedis(data_dir / "redis")
    server: stack.ServerProcess | None = None
    try:
        env = child_environment({
            "DATABASE_URL": postgres.start(),
            "REDIS_URL": redis_server.start(),
            "DRAFTROOM_SECRET_KEY": secrets.token_urlsafe(48),
            "DRAFTROOM_DEMO": "0",
            "DRAFTROOM_ENV": "development",
            "DRAFTROOM_LOG_LEVEL": "WARNING",
            "DRAFTROOM_DATA_DIR": str(data_dir),
            "DRAFTROOM_ADMIN_USERNAME": "",
            "DRAFTROOM_ADMIN_PASSWORD": "",
        })  # fmt: skip
        settings = load_settings(env)
        database_url, redis_url = settings.require_services()
        engine.configure(database_url)
        await engine.open_pool(4)
        # keeps the measurement light until it seeds: the services load only here
        from draftroom.oneshot import command_runtime
        from draftroom.services.seed import seed

        await engine.migrate()
        async with command_runtime(settings) as rt:
            await seed(rt, demo=False)
        t0 = time.monotonic()
        await create_drafts(drafts)
        created_s = time.monotonic() - t0
        redis = aioredis.Redis.from_url(redis_url)
        [server] = stack.serve_processes(1, env, data_dir / "logs")
        server.start()
        await server.wait_healthy()
        owned_s = await wait_owned(redis, drafts, timeout_s=300)
        await asyncio.sleep(settle_s)
        process = psutil.Process(server.pid)
        pg_pids = stack.postgres_pids(postgres)
        cpu0, pg0 = stack.cpu_seconds([server.pid]), stack.cpu_seconds(pg_pids)
        total0, calls0 = await commands_processed(redis)
        started = time.monotonic()
        await asyncio.sleep(quiet_s)
        elapsed = time.monotonic() - started
        cpu1, pg1 = stack.cpu_seconds([server.pid]), stack.cpu_seconds(pg_pids)
        total1, calls1 = await commands_processed(redis)
        per_command = {
            name: round((calls1.get(name, 0) - calls0.get(name, 0)) / elapsed, 1)
            for name in calls1
            if calls1.get(name, 0) - calls0.get(name, 0) > 0
        }
        memory = process.memory_info()
        result = {
            "drafts": drafts,
            "pick_seconds": PICK_SECONDS,
            "created_s": round(created_s, 1),
            "owned_all_after_s": round(owned_s, 1),
            "quiet_s": round(elapsed, 1),
            "serve_rss_mb": round(memory.rss / 2**20, 1),
            "serve_uss_mb": round(process.memory_full_info().uss / 2**20, 1),
            "serve_cpu_pct": round(100 * (cpu1 - cpu0) / elapsed, 2),
            "serve_threads": process.num_threads(),
            "postgres_cpu_pct": round(100 * (pg1 - pg0) / elapsed, 2),
            "redis_commands_per_s": round((total1 - total0) / elapsed, 1),
            "redis_calls_per_s": dict(sorted(per_command.items(), key=lambda kv: -kv[1])),
            "redis_used_memory_mb": round(
                int((await redis.info("memory"))["used_memory"]) / 2**20, 1
            ),
            "cores": psutil.cpu_count(),
            "load_avg_1m": round(psutil.getloadavg()[0], 2),
        }
        await redis.aclose()
        return result
    finally:
        if server is not None:
            server.stop()
        await engine.close_pool()
        redis_server.stop()
        postgres.stop()
        shutil.rmtree(data_dir, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    """Command line: print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drafts", type=int, default=5000)
    parser.add_argument("--quiet-seconds", type=float, default=60.0)
    parser.add_argument("--settle-seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.drafts, args.quiet_seconds, args.settle_seconds))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()

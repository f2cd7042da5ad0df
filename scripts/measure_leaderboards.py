"""Measure the season leaderboard with 10,000 teams: build time and cached read times.

Not a test and not a load test: one process, a few hundred reads. It starts an embedded
PostgreSQL and Redis in a temporary directory (or uses DATABASE_URL / REDIS_URL), migrates,
inserts 1,000 leagues of 10 teams (half public, a fifth with a captain multiplier of 2.0 so
their default-scoring equivalent is recomputed), 20 drivers and RACES scored races, then
times :func:`draftroom.services.leaderboards.season_board`:

- cold: nothing cached (SQL + ranking + Redis SET + parse);
- Redis hit: another process's first read (Redis GET + parse);
- memory hit: every later read in a process (one Redis round trip + a slice);
  for a viewer with no private team and for one whose private team is merged in.

    PYTHONPATH=. .venv/bin/python scripts/measure_leaderboards.py [--races 10]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

LEAGUES, TEAMS_PER_LEAGUE, DRIVERS, SEASON = 1000, 10, 20, 2026

SETUP = [
    """INSERT INTO account (username, username_key, email, email_key, display_name,
         password_hash, is_admin, created_at, password_changed_at)
       SELECT 'u' || g, 'u' || g, 'u' || g || '@x.org', 'u' || g || '@x.org', 'u' || g, '!',
              false, now(), now()
       FROM generate_series(1, {teams}) g""",
    """INSERT INTO league (name, season, commissioner, is_private, code, max_teams, settings,
         is_demo, created_at)
       SELECT 'League ' || g, {season}, (g - 1) * {per} + 1, g % 2 = 0, lpad(g::text, 8, '0'),
              {per}, CASE WHEN g % 5 = 0 THEN '{{"captain_multiplier": 2.0}}'::jsonb
                          ELSE '{{}}'::jsonb END, false, now()
       FROM generate_series(1, {leagues}) g""",
    """INSERT INTO team (league, "user", name, name_key, is_bot, joined_at)
       SELECT (g - 1) / {per} + 1, g, 'Team ' || g, 'team ' || g, false, now()
       FROM generate_series(1, {teams}) g""",
    """INSERT INTO driver (ref, given_name, family_name, nationality, active)
       SELECT 'd' || g, 'Given', 'Driver ' || g, '', true FROM generate_series(1, {drivers}) g""",
    """INSERT INTO race (season, round, name, circuit, country, starts_at, qualifying_at,
         status)
       SELECT {season}, g, 'Race ' || g, '', '', now(), now(), 'final'
       FROM generate_series(1, {races}) g""",
    """INSERT INTO result_revision (race, revision, content_hash, classification, reason,
         source, fetched_at)
       SELECT id, 1, 'x', '{{}}'::jsonb, '', 'poll', now() FROM race""",
    """INSERT INTO driver_score (revision, driver, points, breakdown)
       SELECT r.id, d.id, round((random() * 40 - 5)::numeric, 1), '{{}}'::jsonb
       FROM result_revision r CROSS JOIN driver d""",
    """INSERT INTO team_race_score (league, team, race, revision, points, captain_driver,
         drivers, computed_at)
       SELECT t.league, t.id, r.id, 1, round((random() * 80 - 10)::numeric, 1),
              (t.id + r.id) % {drivers} + 1,
              jsonb_build_array(
                jsonb_build_object('driver_id', (t.id + r.id) % {drivers} + 1),
                jsonb_build_object('driver_id', (t.id + r.id + 7) % {drivers} + 1)),
              now()
       FROM team t CROSS JOIN race r""",
]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


async def measure(races: int) -> None:
    from draftroom.config import load_settings
    from draftroom.coordination.redis import connect
    from draftroom.db import engine
    from draftroom.services import leaderboards
    from draftroom.services.notifier import RecordingNotifier
    from draftroom.services.runtime import Runtime

    settings = load_settings()
    engine.configure(settings.database_url or "")
    await engine.open_pool(4)
    await engine.migrate()
    fmt = {"teams": LEAGUES * TEAMS_PER_LEAGUE, "leagues": LEAGUES, "per": TEAMS_PER_LEAGUE,
           "drivers": DRIVERS, "races": races, "season": SEASON}  # fmt: skip
    async with engine.pool().acquire() as conn:
        started = time.perf_counter()
        for sql in SETUP:
            await conn.execute(sql.format(**fmt))
        print(
            f"data: {fmt['teams']} teams, {races} races, "
            f"{fmt['teams'] * races} team race scores ({ms(time.perf_counter() - started)})"
        )
        await conn.execute("ANALYZE")
    redis = connect(settings.redis_url or "")
    await redis.flushdb()
    rt = Runtime(settings=replace(settings), redis=redis, notifier=RecordingNotifier())
    public_viewer, private_viewer = 1, 11  # league 1 is public, league 2 private

    builds = []
    for _ in range(3):
        await redis.flushdb()
        leaderboards._memo.clear()
        started = time.perf_counter()
        _, total = await leaderboards.season_board(rt, SEASON, public_viewer, 1, 50)
        builds.append(time.perf_counter() - started)
    only_sql = time.perf_counter()
    lines = await leaderboards.build("r.season = $1", SEASON)
    only_sql = time.perf_counter() - only_sql
    print(f"board: {len(lines)} teams ranked, {total} visible to a viewer without private team")
    print(
        f"cold build (SQL + ranking + Redis SET + parse): median {ms(statistics.median(builds))}"
        f" of {[ms(b) for b in builds]}; build() alone {ms(only_sql)}"
    )

    redis_hits = []
    for _ in range(10):
        leaderboards._memo.clear()
        started = time.perf_counter()
        await leaderboards.season_board(rt, SEASON, public_viewer, 1, 50)
        redis_hits.append(time.perf_counter() - started)
    print(f"Redis hit (first read in a process): median {ms(statistics.median(redis_hits))}")

    for viewer, label in (
        (public_viewer, "public teams only"),
        (private_viewer, "own team merged"),
    ):
        reads = []
        for i in range(300):
            started = time.perf_counter()
            await leaderboards.season_board(rt, SEASON, viewer, 1 + i % 20, 50)
            reads.append(time.perf_counter() - started)
        reads.sort()
        print(
            f"memory hit, {label}: median {ms(statistics.median(reads))}, "
            f"p95 {ms(reads[int(len(reads) * 0.95)])}"
        )
    await redis.aclose()
    await engine.close_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--races", type=int, default=10)
    args = parser.parse_args()
    embedded = []
    if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
        from draftroom.embedded import EmbeddedPostgres, EmbeddedRedis

        data_dir = Path(tempfile.mkdtemp(prefix="draftroom-measure-"))
        os.environ.setdefault("DRAFTROOM_DATA_DIR", str(data_dir))
        postgres, redis = EmbeddedPostgres(data_dir / "pg"), EmbeddedRedis(data_dir / "redis")
        os.environ["DATABASE_URL"] = postgres.start()
        os.environ["REDIS_URL"] = redis.start()
        embedded = [postgres, redis]
    os.environ.setdefault("DRAFTROOM_ENV", "test")
    try:
        asyncio.run(measure(args.races))
    finally:
        for service in reversed(embedded):
            service.stop()


if __name__ == "__main__":
    main()

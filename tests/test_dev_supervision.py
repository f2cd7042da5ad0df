"""``draftroom dev`` restarts its embedded servers after a crash, with a log line (issue 15,
defect 11)."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import asyncpg
import pytest
import redis

from draftroom.devserver import restart_dead
from draftroom.embedded import EmbeddedPostgres, EmbeddedRedis

pytestmark = pytest.mark.slow


async def _select_one(database_url: str) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        return int(await conn.fetchval("SELECT 1"))
    finally:
        await conn.close()


def test_crashed_embedded_servers_are_restarted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    postgres, cache = EmbeddedPostgres(tmp_path / "postgres"), EmbeddedRedis(tmp_path / "redis")
    database_url = postgres.start()
    cache.start()
    try:
        assert postgres.alive() and cache.alive()
        assert restart_dead([postgres, cache]) == []

        assert cache.pid is not None
        os.kill(cache.pid, signal.SIGKILL)  # a crash
        pid = int((postgres.directory / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while cache.alive() or postgres.alive():
            assert time.monotonic() < deadline
            time.sleep(0.05)

        assert sorted(restart_dead([postgres, cache])) == ["PostgreSQL", "Redis"]
        assert postgres.alive() and cache.alive()
        assert redis.Redis.from_url(cache.url).ping()
        assert asyncio.run(_select_one(database_url)) == 1  # same socket, answering
        log = capsys.readouterr().err
        assert "embedded Redis is down; restarting it" in log
        assert "embedded PostgreSQL restarted" in log
    finally:
        cache.stop()
        postgres.stop()


def test_an_exited_process_of_the_stack_is_started_again(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    from draftroom.devserver import MAX_QUICK_RESTARTS, Child

    sleeper = [sys.executable, "-c", "import time; time.sleep(60)"]
    child = Child("scheduler", dict(os.environ), argv=sleeper)
    try:
        first = child.process.pid
        assert child.check() is True and child.process.pid == first  # running: left alone
        child.process.kill()  # a crash (say, after its Redis went away)
        child.process.wait()
        assert child.check() is True
        assert child.process.pid != first and child.process.poll() is None
        assert "scheduler exited (code -9); restarting it" in capsys.readouterr().err
    finally:
        child.process.kill()
        child.process.wait()

    quitter = Child("worker", dict(os.environ), argv=[sys.executable, "-c", "pass"])
    outcomes = []
    for _ in range(MAX_QUICK_RESTARTS):
        quitter.process.wait()
        outcomes.append(quitter.check())
    assert outcomes == [True] * (MAX_QUICK_RESTARTS - 1) + [False]  # it keeps failing: stop
    assert "worker keeps exiting" in capsys.readouterr().err

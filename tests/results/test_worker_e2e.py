"""End to end with real processes: ``draftroom worker`` and ``draftroom scheduler`` on the
test PostgreSQL and Redis (DRAFTROOM_ENV=development, so the Redis list broker is used),
JOLPICA_BASE_URL at the fake server.

A poll task kicked from here ingests the Belgian GP; an overdue verification check (as after
a restart) is then run by the scheduler's minute tick; SIGTERM stops both processes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from taskiq.kicker import AsyncKicker
from taskiq_redis import ListQueueBroker

from draftroom.tasks.broker import QUEUE_NAME
from tests.results import helpers
from tests.support.polling import wait_for
from tests.support.processes import REPO_ROOT

pytestmark = pytest.mark.slow


def _start(kind: str, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "draftroom.cli", kind],
        env=env,
        cwd=REPO_ROOT,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


async def _wait_for(predicate: Any, timeout_s: float, what: str, logs: list[Path]) -> None:
    """:func:`wait_for` whose failure carries the tails of the processes' logs."""
    try:
        await wait_for(predicate, timeout_s, every_s=0.25, what=what)
    except AssertionError as error:
        tails = "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in logs if p.exists())
        raise AssertionError(f"{error}\n{tails}") from None


def _stop(process: subprocess.Popen[bytes], timeout_s: float = 20) -> tuple[int | None, set[int]]:
    """SIGTERM; the exit code and the descendants still alive afterwards."""
    children = _descendants(process.pid)
    process.send_signal(signal.SIGTERM)
    try:
        code: int | None = process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        code = None
    time.sleep(0.5)
    left = {pid for pid in children if _alive(pid)}
    if code is None or left:  # clean up before failing the test
        for pid in [process.pid, *left]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        process.wait(5)
    return code, left


async def test_worker_and_scheduler_ingest_and_verify(
    db, settings, server_env, jolpica, make_user, tmp_path
) -> None:
    season = await helpers.load_season(2024, rounds=[14])
    d, race = season.drivers, season.races[14]
    users = [(await make_user(n)).id for n in ("alice", "bob")]
    league, (a, b) = await helpers.make_league(2024, users)
    await helpers.make_draft(league, race, [(a, d["russell"]), (b, d["hamilton"])])
    jolpica.revision(2024, 14, "provisional")

    env = dict(server_env, DRAFTROOM_ENV="development", JOLPICA_BASE_URL=jolpica.base_url)
    logs = [tmp_path / "worker.log", tmp_path / "scheduler.log"]
    pubsub_client = aioredis.Redis.from_url(settings.redis_url)  # bytes: fan-out messages
    pubsub = pubsub_client.pubsub()
    await pubsub.psubscribe("draftroom:fan:*")  # every league and user channel
    worker = _start("worker", env, logs[0])
    scheduler = _start("scheduler", env, logs[1])
    broker = ListQueueBroker(settings.redis_url, queue_name=QUEUE_NAME)
    await broker.startup()
    try:
        await AsyncKicker("draftroom.results_poll", broker, {}).kiq()

        async def ingested() -> bool:
            return bool(await helpers.value("SELECT count(*) FROM result_revision") == 1)

        await _wait_for(ingested, 60, "the kicked poll to ingest revision 1", logs)
        assert await helpers.value("SELECT status FROM race WHERE id = $1", race) == "provisional"
        assert await helpers.team_points(race, 1) == {a: 45.0, b: 28.5}  # 30*1.5, 19*1.5
        published: list[bytes] = []
        deadline = time.monotonic() + 10
        wanted = (b"results_available", b"standings")
        while time.monotonic() < deadline and not all(
            any(w in m for m in published) for w in wanted
        ):
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            if message:
                published.append(message["data"])
        assert any(b"results_available" in m for m in published)  # pushed from the worker
        assert any(b"standings" in m for m in published)

        # check 1 fell due while nothing ran: the scheduler's next minute tick runs it
        jolpica.revision(2024, 14, "final")
        async with helpers.pool().acquire() as conn:
            await conn.execute(
                "UPDATE race_check SET due_at = $2 WHERE race = $1 AND check_no = 1",
                race,
                datetime.now(UTC) - timedelta(hours=1),
            )

        async def verified() -> bool:
            return bool(await helpers.value("SELECT count(*) FROM result_revision") == 2)

        await _wait_for(verified, 90, "the scheduler's tick to run the overdue check", logs)
        assert await helpers.team_points(race, 2) == {a: -15.0, b: 40.5}
        done = await helpers.value("SELECT outcome FROM race_check WHERE check_no = 1")
        assert done == "revision 2"
    finally:
        await broker.shutdown()
        await pubsub.aclose()
        await pubsub_client.aclose()
        worker_code, worker_left = _stop(worker)
        scheduler_code, scheduler_left = _stop(scheduler)
    assert worker_code is not None and worker_left == set(), "worker did not exit on SIGTERM"
    # taskiq restarts a crashed worker child, so a crash (e.g. BRPOP cut by a read timeout
    # while idle) would not fail the steps above: the log must show none.
    assert b"Traceback" not in logs[0].read_bytes(), logs[0].read_text()[-3000:]
    assert scheduler_code is not None and scheduler_left == set()

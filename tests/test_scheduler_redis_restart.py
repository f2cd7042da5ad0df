"""The taskiq scheduler across a Redis restart (issue 15, defect 11): its loop keeps going
by itself, and a cron tick that falls due while Redis is down is sent once Redis is back
(once, however long the outage), instead of being dropped until the next tick."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio as aioredis
from taskiq import ScheduleSource
from taskiq.cli.scheduler.run import SchedulerLoop
from taskiq.scheduler.scheduled_task import ScheduledTask
from taskiq_redis import ListQueueBroker

from draftroom.embedded import EmbeddedRedis
from draftroom.tasks.scheduler import RetryingScheduler

QUEUE = "test:scheduler:ticks"


class Schedules(ScheduleSource):
    """Cron schedules the test adds while the scheduler runs (re-read every second)."""

    def __init__(self) -> None:
        self.tasks: list[ScheduledTask] = []

    async def get_schedules(self) -> list[ScheduledTask]:
        return list(self.tasks)

    def every_minute(self, name: str) -> None:
        """A cron schedule due now (``* * * * *`` fires at once, then each minute)."""
        self.tasks.append(ScheduledTask(task_name=name, labels={}, args=[], kwargs={},
                                        schedule_id=name, cron="* * * * *"))  # fmt: skip


@pytest.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


async def sent(redis_server: EmbeddedRedis) -> list[str]:
    """The task names queued so far (oldest first)."""
    client = aioredis.Redis.from_url(redis_server.url)
    try:
        raw = await client.lrange(QUEUE, 0, -1)
    finally:
        await client.aclose()
    return [json.loads(m)["task_name"] for m in reversed(raw)]


async def eventually(probe: Any, timeout_s: float, what: str) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        with contextlib.suppress(OSError, aioredis.ConnectionError):
            value = await probe()
            if value:
                return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


async def test_a_cron_tick_due_while_redis_is_down_is_sent_once_when_it_is_back(
    redis_server: EmbeddedRedis,
) -> None:
    from draftroom.tasks import scheduler as deployed

    assert isinstance(deployed.scheduler, RetryingScheduler)  # what `draftroom scheduler` runs
    broker = ListQueueBroker(redis_server.url, queue_name=QUEUE)
    source = Schedules()
    scheduler = RetryingScheduler(broker=broker, sources=[source])
    scheduler.max_delay_s = 0.5
    await scheduler.startup()
    loop = asyncio.create_task(SchedulerLoop(scheduler).run(update_interval=timedelta(seconds=1)))
    try:
        source.every_minute("before")
        await eventually(lambda: _has(redis_server, "before"), 10, "the tick before the outage")

        await asyncio.to_thread(redis_server.stop)  # Redis dies mid-run (nothing persisted)
        source.every_minute("during")  # falls due while Redis is down
        await asyncio.sleep(3)  # several of the scheduler's loops and send attempts
        assert not loop.done()
        await asyncio.to_thread(redis_server.start)  # back, empty, same port

        await eventually(lambda: _has(redis_server, "during"), 10, "the tick due in the outage")
        source.every_minute("after")  # the scheduler works on after the restart
        await eventually(lambda: _has(redis_server, "after"), 10, "a tick after the restart")
        await asyncio.sleep(1.5)
        assert await sent(redis_server) == ["during", "after"]  # "during" once
        assert not loop.done()
    finally:
        loop.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await loop
        await scheduler.shutdown()


async def _has(redis_server: EmbeddedRedis, name: str) -> bool:
    return name in await sent(redis_server)

"""The taskiq scheduler (exactly one per deployment): schedules come from task labels.

taskiq sends each tick in a task of its own and drops it when the broker raises: a cron
tick due while Redis is down (or restarting) would be lost. :class:`RetryingScheduler`
retries such a send until Redis answers again (backoff up to ``MAX_DELAY_S``, given up
after ``GIVE_UP_S``), so the tick is sent once Redis is back; taskiq skips the later ticks
of the same schedule while one is still being sent, so however long the outage, the
missed ticks run once. The scheduler's loop itself never stops on a Redis error (redis-py
reconnects on the next command).
"""

from __future__ import annotations

import asyncio
import logging
import time

from redis.exceptions import RedisError
from taskiq import ScheduleSource, TaskiqScheduler
from taskiq.exceptions import SendTaskError
from taskiq.schedule_sources import LabelScheduleSource
from taskiq.scheduler.scheduled_task import ScheduledTask

import draftroom.tasks.jobs  # noqa: F401  (registers every task and its schedule label)
from draftroom.tasks.broker import broker

log = logging.getLogger(__name__)

FIRST_DELAY_S = 0.5
MAX_DELAY_S = 5.0
GIVE_UP_S = 3600.0


class RetryingScheduler(TaskiqScheduler):
    """A ``TaskiqScheduler`` whose ticks survive a broker outage (see module doc)."""

    first_delay_s = FIRST_DELAY_S
    max_delay_s = MAX_DELAY_S
    give_up_s = GIVE_UP_S

    async def on_ready(self, source: ScheduleSource, task: ScheduledTask) -> None:
        """Send the tick, retrying while the broker is unreachable."""
        started = time.monotonic()
        delay = self.first_delay_s
        failures = 0
        while True:
            try:
                await super().on_ready(source, task)
            except (SendTaskError, RedisError, OSError) as error:
                failures += 1
                if time.monotonic() - started > self.give_up_s:
                    log.error("gave up sending %s: %s", task.task_name, error)
                    return
                if failures == 1:
                    log.warning("could not send %s (%s): retrying", task.task_name, error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.max_delay_s)
                continue
            if failures:
                log.warning("sent %s after %d failed attempts", task.task_name, failures)
            return


scheduler = RetryingScheduler(broker=broker, sources=[LabelScheduleSource(broker)])

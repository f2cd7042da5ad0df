"""Event-loop lag of the serve process: how late a 100 ms timer fires.

Lag is time the loop could not run anything else (a long synchronous stretch, a GC pause,
a CPU-starved process). It goes to ``draftroom_event_loop_lag_seconds``; a lag over
SLOW_LAG_S is logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from draftroom.metrics import LOOP_LAG

log = logging.getLogger(__name__)

INTERVAL_S = 0.1
SLOW_LAG_S = 0.25


class LoopLagWatch:
    """An app component measuring the lag of its event loop every INTERVAL_S."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Start measuring."""
        self._task = asyncio.create_task(self._run(), name="loop-lag-watch")

    async def stop(self) -> None:
        """Stop measuring."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            before = time.perf_counter()
            await asyncio.sleep(INTERVAL_S)
            lag = max(0.0, time.perf_counter() - before - INTERVAL_S)
            LOOP_LAG.observe(lag)
            if lag > SLOW_LAG_S:
                log.warning("event loop lag", extra={"lag_ms": round(lag * 1000, 1)})

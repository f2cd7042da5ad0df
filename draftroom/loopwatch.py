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
RECENT_S = 0.5


class LoopLagWatch:
    """An app component measuring the lag of its event loop every INTERVAL_S."""

    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._recent: list[tuple[float, float]] = []

    @property
    def recent_lag_s(self) -> float:
        """The largest lag measured in the last RECENT_S seconds (0 when none)."""
        horizon = time.perf_counter() - RECENT_S
        return max((lag for at, lag in self._recent if at >= horizon), default=0.0)

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
            now = time.perf_counter()
            self._recent = [(at, v) for at, v in self._recent if at >= now - RECENT_S]
            self._recent.append((now, lag))
            if lag > SLOW_LAG_S:
                log.warning("event loop lag", extra={"lag_ms": round(lag * 1000, 1)})

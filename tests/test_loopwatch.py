"""The event-loop lag watch (draftroom.loopwatch)."""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from prometheus_client import REGISTRY

from draftroom.loopwatch import LoopLagWatch


def lag_sum() -> float:
    return REGISTRY.get_sample_value("draftroom_event_loop_lag_seconds_sum") or 0.0


async def test_a_blocked_loop_is_measured_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    watch = LoopLagWatch()
    await watch.start()
    try:
        await asyncio.sleep(0.15)
        before = lag_sum()
        with caplog.at_level(logging.WARNING, logger="draftroom.loopwatch"):
            time.sleep(0.4)  # the loop can run nothing meanwhile
            await asyncio.sleep(0.15)
    finally:
        await watch.stop()
    assert lag_sum() - before >= 0.25
    lags = [r for r in caplog.records if r.getMessage() == "event loop lag"]
    assert lags and getattr(lags[0], "lag_ms", 0) >= 250


def test_an_idle_loop_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    """On a loop of its own (the test session's loop also runs other tests' servers)."""
    import threading

    async def idle() -> None:
        watch = LoopLagWatch()
        await watch.start()
        await asyncio.sleep(0.35)
        await watch.stop()

    with caplog.at_level(logging.WARNING, logger="draftroom.loopwatch"):
        thread = threading.Thread(target=lambda: asyncio.run(idle()))
        thread.start()
        thread.join(10)
    assert not [r for r in caplog.records if r.getMessage() == "event loop lag"]

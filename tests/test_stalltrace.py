"""Stall traces (draftroom.stalltrace): the stack and GC time of a blocked event loop."""

from __future__ import annotations

import asyncio
import gc
import logging
import time

import pytest

from draftroom.stalltrace import StallTracer


def block_the_loop_in_a_named_function(seconds: float) -> None:
    time.sleep(seconds)  # releases the GIL, so the tracer's thread can sample


async def reported(tracer: StallTracer, text: str = "", timeout_s: float = 3.0) -> None:
    """Wait until the tracer's thread has reported a stall whose stack holds ``text`` (on a
    busy machine the thread can take a while to run, and other stalls may come first)."""
    for _ in range(int(timeout_s / 0.02)):
        if any(text in stall["stack"] for stall in tracer.stalls):
            return
        await asyncio.sleep(0.02)


def collect_garbage_for(seconds: float) -> None:
    """A full collection over many cyclic objects, repeated until ``seconds`` have passed."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        junk = [[] for _ in range(50_000)]
        for item in junk:
            item.append(item)
        del junk
        gc.collect()


async def test_a_stall_is_logged_with_the_blocking_stack(caplog: pytest.LogCaptureFixture) -> None:
    tracer = StallTracer(0.05)
    await tracer.start()
    try:
        await asyncio.sleep(0.05)
        with caplog.at_level(logging.WARNING, logger="draftroom.stalltrace"):
            gc.disable()  # a full collection of the suite's heap would be the stall instead
            try:
                block_the_loop_in_a_named_function(1.0)
                await reported(tracer, "block_the_loop_in_a_named_function")
            finally:
                gc.enable()
    finally:
        await tracer.stop()
    stalls = [r for r in caplog.records if r.getMessage() == "event loop stall"]
    named = [r for r in stalls if "block_the_loop_in_a_named_function" in getattr(r, "stack", "")]
    assert len(named) == 1, [getattr(r, "stack", "") for r in stalls]
    stall = named[0]
    assert getattr(stall, "stall_ms", 0) >= 250
    assert getattr(stall, "gc_ms", -1) < 100


async def test_gc_time_inside_a_stall_is_counted() -> None:
    tracer = StallTracer(0.05)
    await tracer.start()
    try:
        await asyncio.sleep(0.05)
        collect_garbage_for(0.3)
        await reported(tracer)
    finally:
        await tracer.stop()
    assert tracer.stalls, "the collections blocked the loop for 300 ms"
    assert max(stall["gc_ms"] for stall in tracer.stalls) >= 100


async def test_a_loop_that_keeps_running_reports_no_stall() -> None:
    tracer = StallTracer(1.0)
    await tracer.start()
    try:
        for _ in range(20):
            await asyncio.sleep(0.01)
    finally:
        await tracer.stop()
    assert tracer.stalls == []

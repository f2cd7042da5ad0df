"""The admission gate: a bounded number at once, a bounded queue, refusals that say when
to come back (draftroom.admission)."""

from __future__ import annotations

import asyncio

import pytest

from draftroom.admission import Admission
from draftroom.errors import Overloaded


async def test_past_the_queue_a_caller_is_refused_at_once_with_a_retry_delay() -> None:
    gate = Admission(slots=1, queue=1, wait_s=5.0)
    async with gate.slot():
        waiter = asyncio.create_task(_enter(gate))
        await asyncio.sleep(0.01)  # the waiter holds the only queue place
        started = asyncio.get_running_loop().time()
        with pytest.raises(Overloaded) as refused:
            async with gate.slot():
                pass
        assert asyncio.get_running_loop().time() - started < 0.05  # not queued
        assert refused.value.code == "overloaded"
        assert refused.value.details["retry_after_ms"] > 0
    assert await waiter == "entered"  # the one that waited got in once the slot was free


async def test_a_caller_that_waits_too_long_is_refused() -> None:
    gate = Admission(slots=1, queue=5, wait_s=0.05)
    async with gate.slot():
        with pytest.raises(Overloaded):
            async with gate.slot():
                pass


async def test_slots_come_back_after_errors() -> None:
    gate = Admission(slots=1, queue=0, wait_s=0.05)
    with pytest.raises(RuntimeError):
        async with gate.slot():
            raise RuntimeError("the commit failed")
    async with gate.slot():
        pass


async def _enter(gate: Admission) -> str:
    async with gate.slot():
        return "entered"


async def test_under_pressure_everything_is_refused_at_once() -> None:
    """A lagging event loop (the draft clocks' share at stake) refuses even a free slot."""
    gate = Admission(slots=5, queue=5, wait_s=1.0)
    gate.pressure = lambda: True
    with pytest.raises(Overloaded):
        async with gate.slot():
            pass
    gate.pressure = lambda: False
    async with gate.slot():
        pass

"""The wire form of runner wake-ups (pure) and a runner trusting the clock they carry."""

from __future__ import annotations

import time
from typing import Any

import pytest

from draftroom.realtime.fanout import decode, encode
from draftroom.services.drafts.wakeups import DraftClock
from draftroom.services.notifier import Broadcast, Wake
from tests.drafts.conftest import create_draft, start
from tests.support.polling import wait_for


@pytest.mark.parametrize(
    "clock",
    [
        None,
        DraftClock(12, "live", 1_800_000_000_123),
        DraftClock(0, "scheduled", None),
        DraftClock(40, "complete", None),
    ],
)
def test_a_wake_up_round_trips_through_the_fan_out_wire_form(clock: DraftClock | None) -> None:
    signal = Wake(7) if clock is None else clock.wake(7)
    [(channel, message)] = encode(b"host", Broadcast("/league/3", wake=signal))
    assert channel == "draftroom:fan:/league/3"
    decoded = decode(message)
    assert decoded.wake == signal
    assert DraftClock.from_wake(signal) == clock


async def test_the_runner_re_arms_its_timer_from_the_wake_up_clock(
    http: Any, world: Any, redis: Any
) -> None:
    """A wake-up's clock is trusted without reading the draft: a due time 200 ms away makes
    the runner step then, although the stored deadline is a minute away."""
    from draftroom.runner.supervisor import DraftSupervisor
    from tests.support.wakeups import send_wake

    w = await world(teams=2, settings={"pick_seconds": 60})
    draft_id = (await create_draft(http, w))["id"]
    state = await start(http, w, draft_id)

    async def runner() -> Any:
        for supervisor in DraftSupervisor.instances:
            entry = supervisor.runners.get(draft_id)
            if entry is not None:
                return entry[0]
        return None

    steps = (await wait_for(runner)).steps
    due = time.time_ns() // 1_000_000 + 200
    await send_wake(redis, w.league_id, draft_id, DraftClock(state["seq"], "live", due))

    async def stepped() -> bool:
        current = await runner()
        return current is not None and current.steps > steps

    await wait_for(stepped, timeout_s=3)
    assert time.time_ns() // 1_000_000 >= due
    r = await http.get(f"/api/v1/drafts/{draft_id}/picks", headers=w.commissioner.headers)
    assert r.json() == []  # the step found nothing due: no pick

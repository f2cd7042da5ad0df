"""The wire form of runner wake-ups (pure) and a runner trusting the clock they carry."""

from __future__ import annotations

import time
from typing import Any

import pytest

from draftroom.services.drafts.wakeups import DraftClock, WakeUp, encode, parse
from tests.drafts.conftest import create_draft, start
from tests.support.polling import wait_for


@pytest.mark.parametrize(
    ("draft_id", "clock", "wire"),
    [
        (7, None, "7"),
        (7, DraftClock(12, "live", 1_800_000_000_123), "7:12:live:1800000000123"),
        (7, DraftClock(0, "scheduled", None), "7:0:scheduled:"),
        (9, DraftClock(40, "complete", None), "9:40:complete:"),
    ],
)
def test_a_wake_up_round_trips(draft_id: int, clock: DraftClock | None, wire: str) -> None:
    assert encode(draft_id, clock) == wire
    assert parse(wire) == WakeUp(draft_id, clock)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("", None),
        ("abc", None),
        ("7:x:live:1", WakeUp(7, None)),  # a draft id but no clock: re-read the draft
        ("7:1:live:soon", WakeUp(7, None)),
        ("7:1:live", WakeUp(7, None)),
        ("7:1:live:5:extra", WakeUp(7, None)),
    ],
)
def test_a_malformed_wake_up_asks_for_a_re_read_or_is_ignored(
    wire: str, expected: WakeUp | None
) -> None:
    assert parse(wire) == expected


async def test_the_runner_re_arms_its_timer_from_the_wake_up_clock(
    http: Any, world: Any, redis: Any
) -> None:
    """A wake-up's clock is trusted without reading the draft: a due time 200 ms away makes
    the runner step then, although the stored deadline is a minute away."""
    from draftroom.runner.supervisor import DraftSupervisor
    from draftroom.services.drafts.wakeups import WAKE_CHANNEL

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
    await redis.publish(WAKE_CHANNEL, encode(draft_id, DraftClock(state["seq"], "live", due)))

    async def stepped() -> bool:
        current = await runner()
        return current is not None and current.steps > steps

    await wait_for(stepped, timeout_s=3)
    assert time.time_ns() // 1_000_000 >= due
    r = await http.get(f"/api/v1/drafts/{draft_id}/picks", headers=w.commissioner.headers)
    assert r.json() == []  # the step found nothing due: no pick

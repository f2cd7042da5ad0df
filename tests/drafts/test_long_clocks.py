"""Thousands of long clocks, cheaply (issue 13): a runner waiting long parks in the
supervisor's one shared timer (no task per draft), leases are renewed by one heartbeat,
and every guarantee holds: the deadline fires on time, a lost wake-up is caught by the
scan, a failover keeps the stored deadline and a write after a lost lease is refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.support.leagues import SEASON, seed_reference
from tests.support.polling import wait_for

DAY_S = 86_400


def now_ms() -> int:
    from draftroom.services.drafts.commit import now_ms as clock

    return clock()


async def calls(redis: Any) -> dict[str, int]:
    """Redis's calls per command so far (commands run by scripts included)."""
    stats = await redis.info("commandstats")
    return {name.removeprefix("cmdstat_"): int(v["calls"]) for name, v in stats.items()}


def runner_tasks() -> list[asyncio.Task[Any]]:
    return [
        t for t in asyncio.all_tasks() if t.get_name().startswith("draft-runner-") and not t.done()
    ]


async def picks(draft_id: int) -> list[Any]:
    from draftroom.db.engine import DB

    return list(
        await DB.pool.fetch("SELECT pick_no, by, made_at FROM pick WHERE draft = $1", draft_id)
    )


@pytest.fixture
async def supervisors(runtime: Any, no_local_supervisor: None) -> AsyncIterator[list[Any]]:
    """Supervisors made by the test (``make``), not started (the test scans and renews),
    stopped at the end."""
    made: list[Any] = []
    yield made
    for sup in made:
        await sup.stop()


def supervisor(runtime: Any, made: list[Any]) -> Any:
    from draftroom.runner.supervisor import DraftSupervisor

    sup = DraftSupervisor(runtime, bots=False, demo=False)
    runtime.notifier.wake_handlers.append(sup.on_wake)
    made.append(sup)
    return sup


async def long_drafts(count: int) -> list[int]:
    from draftroom.loadtest.slowclocks import create_drafts

    await seed_reference()
    return await create_drafts(count, season=SEASON, pick_seconds=DAY_S)


async def all_parked(sup: Any, count: int) -> None:
    async def parked() -> bool:
        return bool(sup.parked == count)

    await wait_for(parked, timeout_s=30, what=f"{count} parked runners")


async def test_200_long_clocks_share_one_timer_and_one_renewal_command(
    runtime: Any, redis: Any, supervisors: list[Any]
) -> None:
    from draftroom.db.engine import DB

    ids = await long_drafts(200)
    sup = supervisor(runtime, supervisors)
    await sup.scan()  # claims every draft: each runner opens its draft, then parks
    await all_parked(sup, 200)
    assert sorted(sup.running) == ids
    assert runner_tasks() == []  # no task per sleeping draft
    assert len(sup.timer) == 200
    rows = await DB.pool.fetch("SELECT id, deadline_ms FROM draft WHERE status = 'live'")
    assert len(rows) == 200
    for row in rows:  # each armed for its own stored 24 h deadline
        assert sup.timer.due(row["id"]) == row["deadline_ms"] > now_ms() + (DAY_S - 60) * 1000

    before = await calls(redis)
    await sup.renew_once()
    after = await calls(redis)
    spent = {k: n - before.get(k, 0) for k, n in after.items() if n != before.get(k, 0)}
    spent.pop("info", None)
    assert spent == {"set": 1}  # all 200 leases renewed by one heartbeat
    assert not any(runner.lost for runner, _ in sup.runners.values())
    assert runner_tasks() == []


async def test_a_parked_long_clock_fires_from_the_shared_timer_at_its_deadline(
    runtime: Any, redis: Any, supervisors: list[Any], monkeypatch: Any
) -> None:
    from draftroom.db.engine import DB
    from draftroom.runner import runner
    from draftroom.services.notifier import Wake

    monkeypatch.setattr(runner, "PARK_MS", 100)  # a 1.5 s wait parks too
    first, *others = await long_drafts(3)
    sup = supervisor(runtime, supervisors)
    await sup.scan()
    await all_parked(sup, 3)
    # the seam: the stored deadline moves to 1.5 s from now and the runner is woken
    due = now_ms() + 1500
    await DB.pool.execute("UPDATE draft SET deadline_ms = $2 WHERE id = $1", first, due)
    sup.on_wake("/league/0", Wake(first))

    async def armed() -> bool:
        return bool(sup.timer.due(first) == due)

    await wait_for(armed, timeout_s=3, what="the timer armed for the new deadline")
    assert runner_tasks() == [] and sup.parked == 3

    async def autopicked() -> list[Any] | None:
        return await picks(first) or None

    [pick] = await wait_for(autopicked, timeout_s=5, what="the autopick")
    assert pick["by"] == "auto"
    assert due <= pick["made_at"].timestamp() * 1000 < due + 1000
    await all_parked(sup, 3)  # the next team's 24 h clock parks again
    assert [await picks(i) for i in others] == [[], []]


async def test_the_scan_catches_a_parked_draft_whose_wake_up_was_lost(
    runtime: Any, redis: Any, supervisors: list[Any]
) -> None:
    from draftroom.db.engine import DB

    [draft_id] = await long_drafts(1)
    sup = supervisor(runtime, supervisors)
    await sup.scan()
    await all_parked(sup, 1)
    # a change elsewhere (seq + 1, deadline now) whose wake-up never arrived
    await DB.pool.execute(
        "UPDATE draft SET deadline_ms = $2, seq = seq + 1 WHERE id = $1", draft_id, now_ms()
    )
    await asyncio.sleep(0.5)
    assert await picks(draft_id) == []  # parked: nothing polls the draft
    await sup.scan()  # sees the newer seq

    async def autopicked() -> list[Any] | None:
        return await picks(draft_id) or None

    [pick] = await wait_for(autopicked, timeout_s=5, what="the autopick")
    assert pick["by"] == "auto"


async def test_a_failover_keeps_the_long_deadline_and_the_old_owner_cannot_write(
    runtime: Any, redis: Any, supervisors: list[Any]
) -> None:
    from draftroom.db.engine import DB
    from draftroom.errors import LockLost
    from draftroom.runner.runner import lease_key
    from draftroom.services.drafts.commit import run_due
    from draftroom.services.notifier import Wake

    [draft_id] = await long_drafts(1)
    old = supervisor(runtime, supervisors)
    await old.scan()
    await all_parked(old, 1)
    deadline = await DB.pool.fetchval("SELECT deadline_ms FROM draft WHERE id = $1", draft_id)
    old_runner = old.runners[draft_id][0]
    await redis.delete(old.holder.heartbeat_key)  # the old owner stopped beating: it lapsed

    new = supervisor(runtime, supervisors)
    await new.scan()
    await all_parked(new, 1)
    assert new.timer.due(draft_id) == deadline  # resumed from the stored deadline
    assert (
        await DB.pool.fetchval("SELECT deadline_ms FROM draft WHERE id = $1", draft_id) == deadline
    )

    await old.renew_once()  # the old owner learns it lost the lease and lets the draft go

    async def let_go() -> bool:
        return old.running == set() and len(old.timer) == 0

    await wait_for(let_go, timeout_s=3, what="the old owner to let the draft go")
    assert await redis.get(lease_key(draft_id)) is not None  # the new owner's, untouched
    await DB.pool.execute("UPDATE draft SET deadline_ms = $2 WHERE id = $1", draft_id, now_ms())
    with pytest.raises(LockLost):
        await run_due(runtime, draft_id, guard=old_runner._guard)
    assert await picks(draft_id) == []
    new.on_wake("/league/0", Wake(draft_id))  # the new owner writes

    async def autopicked() -> list[Any] | None:
        return await picks(draft_id) or None

    [pick] = await wait_for(autopicked, timeout_s=5, what="the new owner's autopick")
    assert pick["by"] == "auto"


async def test_the_shared_timer_fires_each_draft_once_at_its_latest_time() -> None:
    from draftroom.runner.timer import ClockTimer

    fired: list[int] = []
    timer = ClockTimer(fired.append)
    t = now_ms()
    timer.schedule(1, t + 100)
    timer.schedule(2, t + 50)
    timer.schedule(1, t + 150)  # replaces 1's time
    timer.schedule(3, t + 60)
    timer.cancel(3)
    assert len(timer) == 2 and timer.due(1) == t + 150 and 3 not in timer
    await asyncio.sleep(0.12)
    assert fired == [2]
    await asyncio.sleep(0.15)
    assert fired == [2, 1] and len(timer) == 0

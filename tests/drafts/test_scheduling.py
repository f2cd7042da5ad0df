"""Automatic drafts: the scheduling job, the demo director and the demo bots."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.leagues import seed_reference
from tests.support.polling import wait_for


async def drafts_of(league_id: int) -> list[Any]:
    from draftroom.db.engine import DB

    return list(
        await DB.pool.fetch(
            "SELECT id, race, status, opens_at, locks_at FROM draft WHERE league = $1 ORDER BY id",
            league_id,
        )
    )


async def test_schedule_job_creates_the_next_race_draft_once(runtime: Any, world: Any) -> None:
    from draftroom.db.engine import DB
    from draftroom.tasks import drafts
    from draftroom.tasks.broker import use_runtime
    from draftroom.tasks.drafts import schedule_drafts
    from draftroom.tasks.jobs import JOB_MODULES

    assert drafts in JOB_MODULES
    assert schedule_drafts.labels["schedule"] == [{"cron": "*/5 * * * *"}]
    reference = await seed_reference(qualifying_in=timedelta(days=3), races=3)
    opens = await world(teams=2, settings={"draft_opens_hours_before": 48}, reference=reference)
    manual = await world(teams=3, settings={"draft_opens_hours_before": 0}, reference=reference)
    lonely = await world(teams=1, reference=reference)
    use_runtime(runtime)
    sent = await schedule_drafts.kiq()
    result = await sent.wait_result(timeout=30)
    assert not result.is_err, result.error
    assert len(result.return_value) == 2
    first_race = await DB.pool.fetchrow(
        "SELECT id, qualifying_at FROM race WHERE id = $1", reference[1][0]
    )
    [d] = await drafts_of(opens.league_id)
    assert d["race"] == first_race["id"] and d["status"] == "scheduled"
    assert d["opens_at"] == first_race["qualifying_at"] - timedelta(hours=48)
    assert d["locks_at"] == first_race["qualifying_at"]
    [m] = await drafts_of(manual.league_id)
    assert m["race"] == first_race["id"] and m["opens_at"] is None
    assert await drafts_of(lonely.league_id) == []
    again = await (await schedule_drafts.kiq()).wait_result(timeout=30)
    assert again.return_value == []


async def test_schedule_creates_later_drafts_that_open_within_a_day(
    runtime: Any, world: Any
) -> None:
    from draftroom.services.drafts.scheduling import ensure_upcoming_drafts

    reference = await seed_reference(qualifying_in=timedelta(hours=30), races=3)
    w = await world(teams=2, settings={"draft_opens_hours_before": 200}, reference=reference)
    created = await ensure_upcoming_drafts(runtime)
    # race 1 opens_at is past (opens now), race 2 (q in 198 h) opens in ~0 h, race 3 later
    rows = await drafts_of(w.league_id)
    assert [r["race"] for r in rows] == reference[1][:2]
    assert len(created) == 2


async def test_demo_director_keeps_a_draft_coming(runtime: Any, world: Any) -> None:
    from draftroom.db.engine import DB
    from draftroom.runner.demo import DemoDirector

    w = await world(teams=4, bots=3)
    await DB.pool.execute("UPDATE league SET is_demo = true WHERE id = $1", w.league_id)
    director = DemoDirector(runtime, gap_s=60, open_delay_s=10)
    now = datetime.now(UTC)
    [first] = await director.tick(now)
    assert await director.tick(now) == []  # one at a time
    [row] = await drafts_of(w.league_id)
    assert row["id"] == first and row["race"] == w.races[0]
    assert row["opens_at"] == now + timedelta(seconds=10)
    await DB.pool.execute(
        "UPDATE draft SET status = 'complete', completed_at = $2 WHERE id = $1",
        first,
        now - timedelta(seconds=30),
    )
    assert await director.tick(now) == []  # within the gap
    [second] = await director.tick(now + timedelta(seconds=31))
    assert [r["race"] for r in await drafts_of(w.league_id)] == [w.races[0], w.races[1]]
    await DB.pool.execute(
        "UPDATE draft SET status = 'complete', completed_at = $2 WHERE id = $1",
        second,
        now - timedelta(seconds=120),
    )
    [third] = await director.tick(now)  # cycles back to race 1, replacing its old draft
    assert [(r["id"], r["race"]) for r in await drafts_of(w.league_id)] == [
        (second, w.races[1]),
        (third, w.races[0]),
    ]


async def test_bots_pick_after_a_think_time_and_leave_the_human_seat_alone(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.runner.bots import BotPlayer
    from draftroom.runner.supervisor import DraftSupervisor
    from draftroom.services.drafts import commands, snapshot
    from draftroom.services.drafts.creation import create_draft

    w = await world(teams=3, bots=2, settings={"pick_seconds": 30})
    human_team = w.team_of[w.commissioner.id]
    sup = DraftSupervisor(runtime, bots=True, demo=False, scan_interval_s=0.2)
    sup.bots = BotPlayer(think_s=(0.2, 0.4))
    runtime.notifier.wake_handlers.append(sup.on_wake)
    await sup.start()
    try:
        draft_id = await create_draft(runtime, w.league_id, w.race_id)
        await commands.start_draft(runtime, draft_id, w.commissioner.id)

        async def human_on_clock() -> Any:
            state = await snapshot.draft_snapshot(runtime, draft_id)
            current = state["current"]
            return state if current and current["team_id"] == human_team else None

        for _ in range(2):
            state = await wait_for(human_on_clock, timeout_s=8)
            await asyncio.sleep(0.6)  # the bots wait for the human
            assert (await snapshot.draft_snapshot(runtime, draft_id))["seq"] == state["seq"]
            taken = {p["driver_id"] for p in state["picks"]}
            driver = next(d for d in w.drivers if d not in taken)
            await commands.make_pick(
                runtime, draft_id, w.commissioner.id, state["current"]["pick_no"], driver
            )

        async def complete() -> Any:
            state = await snapshot.draft_snapshot(runtime, draft_id)
            return state if state["status"] == "complete" else None

        final = await wait_for(complete, timeout_s=8)
        by_team = {p["team_id"]: p["by"] for p in final["picks"]}
        assert set(by_team.values()) == {"user"}
        bot_picks = [p for p in final["picks"] if p["team_id"] != human_team]
        assert len(bot_picks) == 4
        starts = {e["seq"]: e for e in await snapshot.events_page(runtime, draft_id, 0)}
        for p in bot_picks:  # each bot thought for 0.2-0.4 s after its turn began
            pick_event = next(e for e in starts.values() if e["type"] == "draft:pick"
                              and e["data"]["pick_no"] == p["pick_no"])  # fmt: skip
            turn = starts[pick_event["seq"] - 1]
            assert turn["type"] == "draft:turn"
            assert 150 <= pick_event["at"] - turn["at"] <= 1500
    finally:
        await sup.stop()

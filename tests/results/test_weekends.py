"""Drafts follow the race weekend: the sprint-weekend lock, moved sessions, cancelled races
(real PostgreSQL and Redis; the runtime's notifier records what is sent)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from draftroom.errors import Conflict, DraftLocked, DraftNotLive
from draftroom.runner.runner import read_clock
from draftroom.services import race_changes, reference, standings
from draftroom.services.drafts import commands
from draftroom.services.drafts.creation import create_draft
from draftroom.services.drafts.snapshot import draft_snapshot
from tests.drafts.conftest import paused_local_supervisors
from tests.results import helpers
from tests.results.helpers import notifications_of

SPRINT_QUALI = datetime(2024, 4, 19, 7, 30, tzinfo=UTC)  # China 2024
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
async def _no_local_supervisor() -> Any:
    async with paused_local_supervisors():
        yield


def _ms(value: datetime) -> int:
    return int(value.timestamp() * 1000)


async def _league(
    make_user: Any, season: int = 2024, **settings: Any
) -> tuple[int, list[int], list[int]]:
    owners = [(await make_user()).id for _ in range(2)]
    league, teams = await helpers.make_league(season, owners, settings=settings or None)
    return league, teams, owners


async def _future_weekend(race_id: int, qualifying_in: timedelta, sprint: bool) -> datetime:
    """Move a recorded race into the future (same session order); its lock."""
    now = datetime.now(UTC).replace(microsecond=0)
    quali = now + qualifying_in
    changes: dict[str, Any] = {"qualifying_at": quali, "starts_at": quali + 24 * HOUR}
    if sprint:
        changes |= {"sprint_qualifying_at": quali - 24 * HOUR, "sprint_at": quali - 4 * HOUR}
    async with helpers.pool().acquire() as conn:
        sets = ", ".join(f"{k} = ${i}" for i, k in enumerate(changes, start=2))
        await conn.execute(f"UPDATE race SET {sets} WHERE id = $1", race_id, *changes.values())
    return changes.get("sprint_qualifying_at", quali)


async def test_china_2024_locks_at_sprint_qualifying(rt: Any, make_user: Any) -> None:
    china = (await helpers.load_season(2024, rounds=[5])).races[5]
    race = await reference.get_race(china)
    assert race["sprint_qualifying_at"] == "2024-04-19T07:30:00Z"
    assert race["locks_at"] == race["sprint_qualifying_at"]
    assert race["locks_at"] < race["sprint_at"] < race["qualifying_at"]
    league, _, _ = await _league(make_user)
    draft_id = await create_draft(rt, league, china, now=datetime(2024, 4, 15, tzinfo=UTC))
    locks = await helpers.value("SELECT locks_at FROM draft WHERE id = $1", draft_id)
    assert locks == SPRINT_QUALI
    # on Saturday morning the sprint result is known: no draft can be made any more
    other, _, _ = await _league(make_user)
    with pytest.raises(DraftLocked):
        await create_draft(rt, other, china, now=datetime(2024, 4, 20, 4, 0, tzinfo=UTC))


async def test_a_sprint_weekend_draft_cannot_pick_after_sprint_qualifying(
    rt: Any, make_user: Any
) -> None:
    china = (await helpers.load_season(2024, rounds=[5])).races[5]
    lock = await _future_weekend(china, 30 * HOUR, sprint=True)
    league, teams, owners = await _league(make_user, pick_seconds=600)
    draft_id = await create_draft(rt, league, china)
    snap = await draft_snapshot(rt, draft_id)
    assert snap["locks_at"] == _ms(lock)
    await commands.start_draft(rt, draft_id, owners[0])
    first = await draft_snapshot(rt, draft_id)
    on_clock = first["current"]["team_id"]
    owner = owners[teams.index(on_clock)]
    pool = sorted(
        (await helpers.fetch("SELECT driver FROM driver_entry")), key=lambda r: r["driver"]
    )
    await commands.make_pick(rt, draft_id, owner, 1, pool[0]["driver"])
    # sprint qualifying is brought forward to a minute ago: the draft completes at once
    moved = await race_changes.edit_race(
        rt, china, {"sprint_qualifying_at": datetime.now(UTC) - timedelta(minutes=1)}
    )
    assert moved["locks_at"] == moved["sprint_qualifying_at"]
    done = await draft_snapshot(rt, draft_id)
    assert done["status"] == "complete"
    assert [p["by"] for p in done["picks"]] == ["user", "auto", "auto", "auto"]
    with pytest.raises(DraftNotLive):
        await commands.make_pick(rt, draft_id, owner, 5, pool[-1]["driver"])


async def test_moving_a_session_moves_an_open_draft(rt: Any, make_user: Any) -> None:
    jeddah = (await helpers.load_season(2024, rounds=[2])).races[2]
    quali = await _future_weekend(jeddah, 3 * HOUR, sprint=False)
    league, _, owners = await _league(make_user, pick_seconds=600)
    opens = quali - 2 * HOUR
    draft_id = await create_draft(rt, league, jeddah, opens_at=opens)
    rt.notifier.emitted.clear()

    later = quali + 24 * HOUR  # qualifying postponed by a day
    await race_changes.edit_race(
        rt, jeddah, {"qualifying_at": later, "starts_at": later + 24 * HOUR}
    )

    row = (
        await helpers.fetch("SELECT opens_at, locks_at, seq FROM draft WHERE id = $1", draft_id)
    )[0]
    assert row["locks_at"] == later and row["opens_at"] == opens + 24 * HOUR
    clock = await read_clock(draft_id)  # what the runner waits for
    assert clock.due_ms == _ms(opens + 24 * HOUR)
    sent = [(e, d) for e, d, ns, _ in rt.notifier.emitted if ns == f"/league/{league}"]
    assert ("draft:rescheduled", {
        "opens_at": _ms(opens + 24 * HOUR), "locks_at": _ms(later),
        "draft_id": draft_id, "seq": row["seq"], "at": sent[0][1]["at"],
    }) in sent  # fmt: skip
    states = [d for e, d in sent if e == "draft:state"]
    assert states and states[-1]["locks_at"] == _ms(later)
    moved = await notifications_of("draft_moved")
    assert sorted(n["user"] for n in moved) == sorted(owners)
    assert rt.notifier.broadcasts[-1].wake is not None  # the runner adopts the new clock

    # a live draft follows too, and its snapshot says so
    await commands.start_draft(rt, draft_id, owners[0])
    earlier = later - 12 * HOUR
    await race_changes.edit_race(rt, jeddah, {"qualifying_at": earlier})
    snap = await draft_snapshot(rt, draft_id)
    assert snap["status"] == "live" and snap["locks_at"] == _ms(earlier)


async def test_a_cancelled_race_cancels_its_live_draft(rt: Any, make_user: Any) -> None:
    jeddah = (await helpers.load_season(2024, rounds=[2])).races[2]
    await _future_weekend(jeddah, 3 * HOUR, sprint=False)
    league, _, owners = await _league(make_user, pick_seconds=600)
    draft_id = await create_draft(rt, league, jeddah)
    await commands.start_draft(rt, draft_id, owners[0])

    out = await race_changes.edit_race(rt, jeddah, {"status": "cancelled"})
    assert out["status"] == "cancelled"
    snap = await draft_snapshot(rt, draft_id)
    assert snap["status"] == "cancelled"
    types = [e for e, _, ns, _ in rt.notifier.emitted if ns == f"/league/{league}"]
    assert "draft:cancelled" in types
    told = await notifications_of("draft_cancelled")
    assert sorted(n["user"] for n in told) == sorted(owners)
    with pytest.raises(Conflict, match="cancelled"):
        await commands.start_draft(rt, draft_id, owners[0])


async def test_a_race_cancelled_after_its_draft_scores_nothing(
    rt: Any, make_user: Any, jolpica: Any
) -> None:
    season = await helpers.load_season(2024, rounds=[13, 14])
    d = season.drivers
    league, teams, owners = await _league(make_user)
    await helpers.make_draft(
        league, season.races[13], [(teams[0], d["norris"]), (teams[1], d["hamilton"])]
    )
    await helpers.make_draft(
        league, season.races[14], [(teams[0], d["hamilton"]), (teams[1], d["leclerc"])]
    )
    from draftroom.services import polling

    await polling.poll(rt, now=datetime(2024, 8, 1, tzinfo=UTC))
    before = {r["team_id"]: r["points"] for r in (await standings.standings(rt, league)).value}
    assert before[teams[0]] > 0

    await race_changes.edit_race(rt, season.races[14], {"status": "cancelled"})
    await race_changes.edit_race(rt, season.races[14], {"status": "cancelled"})  # once only

    after = {r["team_id"]: r for r in (await standings.standings(rt, league)).value}
    only_13 = await helpers.team_points(season.races[13], 1)
    assert {t: after[t]["points"] for t in teams} == {t: only_13[t] for t in teams}
    told = await notifications_of("race_cancelled")
    assert sorted(n["user"] for n in told) == sorted(owners)
    assert all(n["data"]["race_id"] == season.races[14] for n in told)

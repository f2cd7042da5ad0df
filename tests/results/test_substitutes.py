"""Entry lists and substitutes on real weekends: Jeddah 2024 (Bearman for Sainz, announced
before and after the draft) and Monza 2024 (Colapinto for Sargeant); real PostgreSQL and
Redis, the fake Jolpica server for results."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from draftroom.db.queries import drafts as store
from draftroom.errors import DriverUnknown
from draftroom.services import entries, polling
from draftroom.services.drafts import commands
from draftroom.services.drafts.commit import run_due
from draftroom.services.drafts.creation import create_draft
from draftroom.services.drafts.snapshot import draft_snapshot
from tests.drafts.conftest import paused_local_supervisors
from tests.results import helpers
from tests.results.helpers import notifications_of

HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
async def _no_local_supervisor() -> Any:
    async with paused_local_supervisors():
        yield


async def _into_the_future(race_id: int) -> None:
    quali = datetime.now(UTC).replace(microsecond=0) + 30 * HOUR
    await helpers.value(
        "UPDATE race SET qualifying_at = $2, starts_at = $3 WHERE id = $1 RETURNING 1",
        race_id,
        quali,
        quali + 24 * HOUR,
    )


async def _unknown_driver(driver_id: int) -> None:
    """Forget a driver entirely (the product has not seen him yet)."""
    await helpers.value("DELETE FROM driver WHERE id = $1 RETURNING 1", driver_id)


async def _team_of(constructor: str, *driver_ids: int) -> int:
    team = await helpers.value("SELECT id FROM constructor WHERE ref = $1", constructor)
    await helpers.value(
        "UPDATE driver_entry SET constructor = $1 WHERE driver = ANY($2::int[]) RETURNING 1",
        team,
        list(driver_ids),
    )
    return int(team)


async def test_jeddah_2024_announced_before_the_draft(rt: Any, make_user: Any) -> None:
    season = await helpers.load_season(2024, rounds=[2])
    d, jeddah = season.drivers, season.races[2]
    await _unknown_driver(d["bearman"])
    ferrari = await _team_of("ferrari", d["sainz"], d["leclerc"])
    await _into_the_future(jeddah)
    owners = [(await make_user()).id for _ in range(2)]
    league, teams = await helpers.make_league(2024, owners, settings={"pick_seconds": 600})
    draft_id = await create_draft(rt, league, jeddah)
    await commands.start_draft(rt, draft_id, owners[0])
    order = (await draft_snapshot(rt, draft_id))["order"]
    first, second = (owners[teams.index(t)] for t in order)
    await commands.set_queue(rt, draft_id, second, [d["sainz"], d["leclerc"]])

    rows = await entries.record_change(rt, jeddah, d["sainz"], in_driver_ref="bearman")

    bearman = next(r["driver_id"] for r in rows if r["status"] == "substitute")
    by_driver = {r["driver_id"]: r for r in rows}
    assert by_driver[d["sainz"]] == {
        "driver_id": d["sainz"], "constructor_id": ferrari, "status": "replaced",
        "replaced_by": bearman,
    }  # fmt: skip
    assert by_driver[bearman] == {
        "driver_id": bearman, "constructor_id": ferrari, "status": "substitute",
        "replaces": d["sainz"],
    }  # fmt: skip
    async with store.pool().acquire() as conn:
        pool = (await store.load(conn, draft_id, for_update=False)).state.pool
    assert bearman in pool and d["sainz"] not in pool
    with pytest.raises(DriverUnknown, match="replaced or withdrawn"):
        await commands.make_pick(rt, draft_id, first, 1, d["sainz"])
    with pytest.raises(DriverUnknown, match="replaced or withdrawn"):
        await commands.set_queue(rt, draft_id, second, [d["sainz"]])
    told = await notifications_of("queue_driver_out")
    assert [n["user"] for n in told] == [second]
    body = await helpers.value("SELECT body FROM notification WHERE kind = 'queue_driver_out'")
    assert "Sainz Jr. is out of the Saudi Arabian Grand Prix; Bearman drives his car" in body

    await commands.make_pick(rt, draft_id, first, 1, bearman)  # the substitute is draftable
    await helpers.value(
        "UPDATE draft SET deadline_ms = $2 WHERE id = $1 RETURNING 1",
        draft_id,
        int(datetime.now(UTC).timestamp() * 1000) - 1000,
    )
    await run_due(rt, draft_id)  # the second team's clock ran out: autopick from its queue
    picks = (await draft_snapshot(rt, draft_id))["picks"]
    assert [(p["driver_id"], p["by"]) for p in picks] == [(bearman, "user"), (d["leclerc"], "auto")]

    # undone, Sainz is back in the pool
    rows = await entries.undo_change(rt, jeddah, d["sainz"])
    assert {r["status"] for r in rows} == {"entered"}


async def _scored_jeddah(make_user: Any, policy: str, d: dict[str, int], race: int) -> list[int]:
    owners = [(await make_user()).id for _ in range(2)]
    league, teams = await helpers.make_league(2024, owners, settings={"substitutes": policy})
    await helpers.make_draft(
        league,
        race,
        [(teams[0], d["sainz"]), (teams[1], d["leclerc"]), (teams[1], d["hamilton"]),
         (teams[0], d["norris"])],
        captains={teams[0]: d["norris"]},
    )  # fmt: skip
    return [league, *teams, *owners]


async def test_jeddah_2024_inferred_from_results_after_the_draft(
    rt: Any, make_user: Any, jolpica: Any
) -> None:
    season = await helpers.load_season(2024, rounds=[2])
    d, jeddah = season.drivers, season.races[2]
    await _unknown_driver(d["bearman"])
    await _team_of("ferrari", d["sainz"], d["leclerc"])
    _, seat_team, _, seat_owner, _ = await _scored_jeddah(make_user, "seat", d, jeddah)
    _, driver_team, _, driver_owner, _ = await _scored_jeddah(make_user, "driver", d, jeddah)

    report = await polling.poll(rt, now=datetime(2024, 3, 10, tzinfo=UTC))
    assert [i["race_id"] for i in report["ingested"]] == [jeddah]

    rows = await entries.race_entries(jeddah)
    sub = next(r for r in rows if r["status"] == "substitute")
    bearman = sub["driver_id"]
    assert sub["replaces"] == d["sainz"]
    assert (
        await helpers.value("SELECT source FROM race_entry_change WHERE race = $1", jeddah)
        == "results"
    )
    assert (
        await helpers.value(
            "SELECT count(*) FROM driver_entry WHERE driver = $1 AND season = 2024", bearman
        )
        == 1
    )  # he is in the season's later pools
    points = {
        r["driver"]: float(r["points"])
        for r in await helpers.fetch(
            "SELECT s.driver, s.points FROM driver_score s JOIN result_revision r "
            "ON r.id = s.revision WHERE r.race = $1",
            jeddah,
        )
    }
    assert points[bearman] > 0
    scored = await helpers.team_points(jeddah, 1)
    norris_as_captain = round(points[d["norris"]] * 1.5, 1)
    assert scored[seat_team] == pytest.approx(points[bearman] + norris_as_captain)
    assert scored[driver_team] == pytest.approx(norris_as_captain)
    breakdown = await helpers.value(
        "SELECT drivers FROM team_race_score WHERE team = $1", seat_team
    )
    assert f'"substitute_id": {bearman}' in breakdown
    told = {n["user"]: n for n in await notifications_of("substitution")}
    assert set(told) == {seat_owner, driver_owner}
    assert told[seat_owner]["data"]["in_driver_id"] == bearman


async def test_monza_2024_colapinto_is_in_the_next_pool_without_a_sync(
    rt: Any, make_user: Any, jolpica: Any
) -> None:
    season = await helpers.load_season(2024, rounds=[16, 17])
    d, monza, baku = season.drivers, season.races[16], season.races[17]
    await _unknown_driver(d["colapinto"])
    await _team_of("williams", d["albon"], d["sargeant"])
    await _into_the_future(baku)

    await polling.poll(rt, now=datetime(2024, 9, 2, tzinfo=UTC))

    colapinto = await helpers.value("SELECT id FROM driver WHERE ref = 'colapinto'")
    monza_entries = {r["driver_id"]: r for r in await entries.race_entries(monza)}
    assert monza_entries[d["sargeant"]]["replaced_by"] == colapinto
    owners = [(await make_user()).id for _ in range(2)]
    league, _ = await helpers.make_league(2024, owners)
    draft_id = await create_draft(rt, league, baku)
    async with store.pool().acquire() as conn:
        pool = (await store.load(conn, draft_id, for_update=False)).state.pool
    assert colapinto in pool
    baku_entries = {r["driver_id"]: r["status"] for r in await entries.race_entries(baku)}
    assert baku_entries[colapinto] == "entered"

"""A first run offline: the seed ingests the shipped 2026 results (F1DB, rounds 1-11) through
the poll's ingestion, and the demo league gets three scored past drafts.

The expectations come from the recorded JSON (the SPEC's scoring written out independently
in ``test_season.expected_weekend``) and from F1DB's official standings after round 11, not
from the code under test.
"""

from __future__ import annotations

import dataclasses
import socket
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from draftroom.db.engine import pool
from draftroom.domain.results import classification_hash
from draftroom.jolpica.packaged import packaged_client, packaged_rounds
from draftroom.services import polling
from draftroom.services.results import ingest
from draftroom.services.seed import seed
from tests.reference.support import table_rows
from tests.results import helpers
from tests.results.test_season import expected_weekend
from tests.support.jolpica import fast_client_factory

NOW = datetime(2026, 12, 1, tzinfo=UTC)
ROUNDS = range(1, 12)


def closed_port_url() -> str:
    """A base URL nothing listens on (the network is unreachable)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/ergast/f1"


@pytest.fixture
def offline(runtime: Any) -> Any:
    """The test Runtime with JOLPICA_BASE_URL (and its client) on a closed port."""
    url = closed_port_url()
    runtime.settings = dataclasses.replace(runtime.settings, jolpica_base_url=url)
    runtime.jolpica_factory = fast_client_factory(url)
    return runtime


def season_totals() -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for round_ in ROUNDS:
        for ref, points in expected_weekend(2026, round_).items():
            totals[ref] = totals.get(ref, Decimal(0)) + points
    return totals


async def counts() -> dict[str, int]:
    tables = ("result_revision", "driver_score", "team_race_score", "draft", "pick", "race_check")
    async with pool().acquire() as conn:
        return {t: await conn.fetchval(f"SELECT count(*) FROM {t}") for t in tables}


async def race_ids() -> dict[int, int]:
    rows = await helpers.fetch("SELECT round, id FROM race WHERE season = 2026")
    return {r["round"]: r["id"] for r in rows}


def test_the_shipped_results_are_rounds_1_to_11_of_2026() -> None:
    assert packaged_rounds(2026) == frozenset(ROUNDS)
    assert packaged_rounds(2025) == frozenset()


async def test_first_run_offline_has_real_scores(offline: Any, http: Any, make_user: Any) -> None:
    report = await seed(offline, demo=True, now=NOW)
    assert (report.results, report.demo_drafts) == (11, 3)
    rounds = await race_ids()

    # rankings: every driver's season points as computed from the shipped JSON
    rankings = (await http.get("/api/v1/drivers/rankings", params={"season": 2026})).json()
    expected = season_totals()
    assert {r["driver_ref"]: r["fantasy_points"] for r in rankings if r["races"]} == {
        ref: float(p) for ref, p in expected.items()
    }
    points = [r["fantasy_points"] for r in rankings]
    assert points == sorted(points, reverse=True) and points[0] > 0
    assert rankings[0]["driver_ref"] == max(expected, key=lambda ref: expected[ref])
    # the championship after round 11 is F1DB's official one
    official = {
        row["Driver"]["driverId"]: (int(row["position"]), float(row["points"]))
        for row in helpers.fixture(2026, "driverstandings")["MRData"]["StandingsTable"][
            "StandingsLists"
        ][0]["DriverStandings"]
    }
    assert {
        r["driver_ref"]: (r["championship_position"], r["championship_points"])
        for r in rankings
        if r["championship_position"] is not None
    } == official

    # race results: revision 1 from the seed for rounds 1-11, none after
    for round_ in ROUNDS:
        body = (await http.get(f"/api/v1/races/{rounds[round_]}/results")).json()
        assert (body["revision"], body["status"]) == (1, "provisional"), round_
        assert {r["driver_ref"]: r["fantasy_points"] for r in body["results"]} == {
            ref: float(p) for ref, p in expected_weekend(2026, round_).items()
        }
    later = (await http.get(f"/api/v1/races/{rounds[12]}/results")).json()
    assert later["revision"] is None and later["results"] == []
    sources = await helpers.fetch("SELECT DISTINCT source FROM result_revision")
    assert [r["source"] for r in sources] == ["seed"]

    # the demo league: three scored past drafts, standings and team histories with points
    visitor = await make_user("visitor")
    league = (
        await http.get("/api/v1/leagues", params={"q": "demo"}, headers=visitor.headers)
    ).json()[0]
    table = (
        await http.get(f"/api/v1/leagues/{league['id']}/standings", headers=visitor.headers)
    ).json()
    assert len(table) == 5 and all(row["races"] == 3 for row in table)
    assert all(row["points"] != 0 for row in table)
    drafts = await helpers.fetch(
        "SELECT d.status, d.completed_at, d.locks_at, r.round, r.starts_at FROM draft d "
        "JOIN race r ON r.id = d.race WHERE d.league = $1 ORDER BY r.round",
        league["id"],
    )
    assert [d["round"] for d in drafts] == [9, 10, 11]
    assert all(d["status"] == "complete" for d in drafts)
    assert all(d["completed_at"] == d["locks_at"] < d["starts_at"] for d in drafts)
    code = (await http.get(f"/api/v1/leagues/{league['id']}", headers=visitor.headers)).json()
    joined = await http.post(
        "/api/v1/leagues/join",
        json={"code": code["code"], "team_name": "Visitors"},
        headers=visitor.headers,
    )
    assert joined.status_code == 201, joined.text
    history = await http.get(
        f"/api/v1/teams/{table[0]['team_id']}/history", headers=visitor.headers
    )
    assert history.status_code == 200, history.text
    assert len(history.json()) == 3

    # the network stays unreachable: the poll fails on rounds 12+ and changes nothing
    before = await counts()
    poll = await polling.poll(offline, now=NOW)
    considered = set(poll["considered"])  # 2025, and 2026 from round 12 to 22 (23: 6 Dec)
    assert {rounds[r] for r in range(12, 23)} <= considered
    assert not considered & {rounds[r] for r in ROUNDS}
    assert poll["ingested"] == [] and poll["failed"]
    assert await counts() == before


async def test_a_second_seed_writes_nothing(runtime: Any) -> None:
    await seed(runtime, demo=True, now=NOW)
    before, rows = await counts(), await table_rows()
    again = await seed(runtime, demo=True, now=NOW)
    assert (again.results, again.demo_drafts) == (0, 0)
    assert await counts() == before and await table_rows() == rows


async def test_only_past_races_are_seeded(runtime: Any) -> None:
    rounds_before = await seed(runtime, demo=False, now=datetime(2026, 5, 4, tzinfo=UTC))
    assert rounds_before.results == 4  # Miami (round 4) ran on 3 May 2026
    stored = await helpers.fetch(
        "SELECT r.round FROM result_revision rr JOIN race r ON r.id = rr.race ORDER BY r.round"
    )
    assert [r["round"] for r in stored] == [1, 2, 3, 4]


async def test_the_live_api_with_the_same_data_changes_nothing(rt: Any, jolpica: Any) -> None:
    await seed(rt, demo=True, now=NOW)
    await pool().execute("DELETE FROM race WHERE season = 2025")  # the fake serves 2025 too
    rounds = await race_ids()
    before = await counts()
    jolpica_requests = len(jolpica.requests())
    # the poll (rounds 12+: nothing published on the fake server) and every verification
    # check of rounds 1-11 against the fake server serving the same F1DB data
    poll = await polling.poll(rt, now=NOW)
    assert poll["ingested"] == [] and poll["failed"] == []
    checks = await polling.run_due_checks(rt, now=NOW + timedelta(hours=25))
    assert len(checks) == 11 and {c["outcome"] for c in checks} == {"unchanged"}
    admin = await polling.check_race(rt, rounds[2], now=NOW)  # a sprint weekend
    assert (admin["changed"], admin["revision"]) == (False, 1)
    assert len(jolpica.requests()) > jolpica_requests
    after = await counts()
    assert after == before
    assert all(
        n == 0
        for n in [
            await pool().fetchval("SELECT count(*) FROM notification"),
            await pool().fetchval("SELECT count(*) FROM result_revision WHERE revision > 1"),
        ]
    )

    # a corrected classification (P1 and P2 of round 11 swapped) re-scores as usual
    async with packaged_client() as client:
        found = await client.weekend_classification(2026, 11)
    assert found is not None
    first, second, *rest = found.race
    swapped = dataclasses.replace(
        found,
        race=(
            dataclasses.replace(second, position=1, position_text="1", points=first.points),
            dataclasses.replace(first, position=2, position_text="2", points=second.points),
            *rest,
        ),
    )
    assert classification_hash(swapped) != classification_hash(found)
    outcome = await ingest.ingest(rt, rounds[11], swapped, source="check 2", now=NOW)
    assert outcome.changed and outcome.revision == 2 and outcome.league_ids
    scores = await helpers.fetch(
        "SELECT count(*) AS n FROM team_race_score WHERE race = $1 AND revision = 2", rounds[11]
    )
    assert scores[0]["n"] == 5


async def test_autopick_in_a_new_draft_follows_the_real_rankings(
    runtime: Any, make_user: Any, http: Any
) -> None:
    from draftroom.services.drafts import commands
    from draftroom.services.drafts.creation import create_draft
    from draftroom.services.leagues import create_league
    from draftroom.services.membership import join_league

    await seed(runtime, demo=False, now=NOW)
    users = [await make_user(f"auto{i}") for i in range(4)]
    league = await create_league(
        users[0].id,
        name="Autopickers",
        is_private=True,
        max_teams=4,
        team_name="Team 0",
        season=2026,
        settings={"draft_type": "auto", "picks_per_team": 2},
    )
    for i, user in enumerate(users[1:], start=1):
        await join_league(user.id, league["code"], f"Team {i}")
    now = datetime.now(UTC)
    draft_id = await create_draft(
        runtime,
        league["id"],
        (await race_ids())[23],
        opens_at=now + timedelta(minutes=5),
        locks_at=now + timedelta(hours=1),
    )
    await commands.start_draft(runtime, draft_id, users[0].id)
    picks = await helpers.fetch(
        'SELECT driver, "by" FROM pick WHERE draft = $1 ORDER BY pick_no', draft_id
    )
    rankings = (await http.get("/api/v1/drivers/rankings", params={"season": 2026})).json()
    drivers = (await http.get("/api/v1/drivers", params={"season": 2026})).json()
    active = {d["id"] for d in drivers if d["active"]}  # Hadjar raced, then left the pool
    draftable = [r["driver_id"] for r in rankings if r["driver_id"] in active]
    assert len(draftable) < len(rankings)
    assert [p["driver"] for p in picks] == draftable[:8]
    assert {p["by"] for p in picks} == {"auto"}
    totals = season_totals()
    assert rankings[0]["driver_ref"] == max(totals, key=lambda ref: totals[ref])


async def test_the_demo_director_keeps_the_seeded_history(runtime: Any) -> None:
    from draftroom.runner.demo import DemoDirector

    report = await seed(runtime, demo=True, now=NOW)
    league_id = report.demo_league_id
    rounds = {rid: r for r, rid in (await race_ids()).items()}
    history = await helpers.fetch(
        "SELECT id, race FROM draft WHERE league = $1 ORDER BY id", league_id
    )
    assert sorted(rounds[h["race"]] for h in history) == [9, 10, 11]
    director = DemoDirector(runtime, gap_s=0, open_delay_s=10)
    drafted = []
    for minute in range(25):  # 20 free races: the director wraps around and reuses them
        at = NOW + timedelta(minutes=minute)
        [draft_id] = await director.tick(at)
        row = await helpers.fetch("SELECT race FROM draft WHERE id = $1", draft_id)
        drafted.append(rounds[row[0]["race"]])
        await pool().execute(
            "UPDATE draft SET status = 'complete', completed_at = $2 WHERE id = $1",
            draft_id,
            at,
        )
    free = [r for r in range(1, 24) if r not in (9, 10, 11)]
    assert drafted == [*free[free.index(12) :], *free, *free][:25]
    kept = await helpers.fetch(
        "SELECT id, race FROM draft WHERE league = $1 AND race = ANY($2::int[]) ORDER BY id",
        league_id,
        [h["race"] for h in history],
    )
    assert kept == history
    table = await helpers.fetch(
        "SELECT count(DISTINCT race) AS n FROM team_race_score WHERE league = $1", league_id
    )
    assert table[0]["n"] == 3


async def test_the_demo_past_drafts_pick_along_the_ranking_of_the_rounds_before(
    runtime: Any,
) -> None:
    report = await seed(runtime, demo=True, now=NOW)
    drafts = await helpers.fetch(
        "SELECT d.id, r.round FROM draft d JOIN race r ON r.id = d.race "
        "WHERE d.league = $1 ORDER BY r.round",
        report.demo_league_id,
    )
    refs = {r["id"]: r["ref"] for r in await helpers.fetch("SELECT id, ref FROM driver")}
    for draft in drafts:
        before: dict[str, Decimal] = {}
        for round_ in range(1, draft["round"]):
            for ref, points in expected_weekend(2026, round_).items():
                before[ref] = before.get(ref, Decimal(0)) + points
        best = sorted(before.values(), reverse=True)
        assert best[0] > best[1]  # a clear leader before each of rounds 9-11
        picks = await helpers.fetch(
            'SELECT driver, "by" FROM pick WHERE draft = $1 ORDER BY pick_no', draft["id"]
        )
        assert len(picks) == 10 and {p["by"] for p in picks} == {"auto"}
        assert refs[picks[0]["driver"]] == max(before, key=lambda ref: before[ref])
        events = await helpers.fetch(
            "SELECT type FROM draft_event WHERE draft = $1 ORDER BY seq", draft["id"]
        )
        types = [e["type"] for e in events]
        assert types[:2] == ["draft:started", "draft:turn"] and types[-1] == "draft:complete"
        assert types.count("draft:pick") == 10


async def test_a_demo_league_that_cannot_draft_still_gets_the_results(runtime: Any) -> None:
    from draftroom.services.seed import ensure_demo_league, season_files, seed_reference
    from draftroom.services.seed_results import seed_results

    await seed_reference(season_files())
    league_id = await ensure_demo_league()
    await pool().execute(
        "DELETE FROM team WHERE league = $1 AND id <> (SELECT min(id) FROM team WHERE league = $1)",
        league_id,
    )
    done = await seed_results(runtime, demo_league_id=league_id, now=NOW)
    assert len(done.race_ids) == 11 and done.draft_ids == []
    assert await pool().fetchval("SELECT count(*) FROM draft") == 0

"""The whole 2024 season ingested through the poll from the fake Jolpica server.

Every driver's stored weekend points are compared with an independent calculation straight
from the recorded JSON (written here from the SPEC's words, not with the domain code), and
the official F1 scoring as a league's overrides reproduces the real 2024 championship.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from draftroom.services import polling, rankings, standings
from tests.results import helpers

RACE = [25, 18, 15, 12, 10, 8, 6, 4, 2, 1]
SPRINT = [8, 7, 6, 5, 4, 3, 2, 1]
F1_RULES: dict[str, Any] = {
    "race": RACE, "sprint": SPRINT, "fastest_lap": 1, "fastest_lap_top10_only": True,
    "pole": 0, "position_gained": 0, "position_lost": 0, "dnf": 0, "dsq": 0,
}  # fmt: skip


def _rows(envelope: dict[str, Any], key: str) -> list[dict[str, Any]]:
    races = envelope["MRData"]["RaceTable"]["Races"]
    return races[0][key] if races else []


def _optional(season: int, name: str) -> dict[str, Any]:
    path = helpers.FIXTURES / str(season) / f"{name}.json"
    return (
        helpers.fixture(season, name) if path.exists() else {"MRData": {"RaceTable": {"Races": []}}}
    )


def expected_weekend(season: int, round_: int) -> dict[str, Decimal]:
    """SPEC default scoring computed directly from the raw Jolpica JSON of one weekend."""
    race = _rows(helpers.fixture(season, f"{round_}/results"), "Results")
    sprint = _rows(_optional(season, f"{round_}/sprint"), "SprintResults")
    quali = _rows(helpers.fixture(season, f"{round_}/qualifying"), "QualifyingResults")
    pts: dict[str, Decimal] = {}

    def add(ref: str, value: int) -> None:
        pts[ref] = pts.get(ref, Decimal(0)) + value

    for row in quali:
        add(row["Driver"]["driverId"], 1 if row["position"] == "1" else 0)
    for row in sprint:
        pos = int(row["position"])
        ok = row["positionText"].isdigit() and pos <= len(SPRINT)
        add(row["Driver"]["driverId"], SPRINT[pos - 1] if ok else 0)
    for row in race:
        ref, text = row["Driver"]["driverId"], row["positionText"]
        add(ref, 0)
        if text in ("D", "E"):
            add(ref, -10)
            continue
        if text in ("R", "N"):
            add(ref, -5)
        if text.isdigit():
            pos = int(text)
            add(ref, RACE[pos - 1] if pos <= 10 else 0)
            grid = int(row["grid"]) or len(race)
            add(ref, grid - pos)  # +1 per place gained, -1 per place lost
        if row.get("FastestLap", {}).get("rank") == "1":
            add(ref, 1)
    return pts


async def test_whole_2024_season_through_the_poll(rt, jolpica, make_user) -> None:
    season = await helpers.load_season(2024)
    d = season.drivers
    users = [(await make_user(n)).id for n in ("max", "lando")]
    league, (x, y) = await helpers.make_league(
        2024, users, settings={"scoring": F1_RULES, "captain_multiplier": 1.0}
    )
    for race_id in season.races.values():
        await helpers.make_draft(
            league, race_id,
            [(x, d["max_verstappen"]), (y, d["leclerc"]), (y, d["piastri"]), (x, d["norris"])],
        )  # fmt: skip

    report = await polling.poll(rt)
    assert report["failed"] == [] and report["waiting"] == []
    assert len(report["ingested"]) == 24
    assert all(i["revision"] == 1 for i in report["ingested"])

    for round_, race_id in season.races.items():
        stored = {
            r["ref"]: r["points"]
            for r in await helpers.fetch(
                "SELECT d.ref, s.points FROM driver_score s JOIN driver d ON d.id = s.driver "
                "JOIN result_revision r ON r.id = s.revision WHERE r.race = $1",
                race_id,
            )
        }
        assert stored == expected_weekend(2024, round_), f"round {round_}"

    official = {
        row["Driver"]["driverId"]: (int(row["position"]), float(row["points"]))
        for row in helpers.fixture(2024, "driverstandings")["MRData"]["StandingsTable"][
            "StandingsLists"
        ][0]["DriverStandings"]
    }
    assert official["max_verstappen"] == (1, 437.0) and official["norris"] == (2, 374.0)
    under_f1_rules = await rankings.driver_ranking(2024, league)
    assert {r.driver_ref: r.fantasy_points for r in under_f1_rules} == {
        ref: points for ref, (_, points) in official.items()
    }
    assert [r.driver_ref for r in under_f1_rules[:4]] == [
        "max_verstappen", "norris", "leclerc", "piastri"
    ]  # fmt: skip
    default = await rankings.driver_ranking(2024)
    assert {r.driver_ref: (r.championship_position, r.championship_points) for r in default} == (
        official
    )
    season_totals: dict[str, Decimal] = {}
    for round_ in season.races:
        for ref, p in expected_weekend(2024, round_).items():
            season_totals[ref] = season_totals.get(ref, Decimal(0)) + p
    assert {r.driver_ref: r.fantasy_points for r in default} == {
        ref: float(p) for ref, p in season_totals.items()
    }
    assert [r.fantasy_points for r in default] == sorted(
        (r.fantasy_points for r in default), reverse=True
    )

    # two teams drafting the same drivers all season under F1 rules: the championship sums
    table = (await standings.standings(rt, league)).value
    assert [(r["team_id"], r["points"], r["races"]) for r in table] == [
        (x, 437.0 + 374.0, 24), (y, 356.0 + 292.0, 24)
    ]  # fmt: skip
    assert table[0]["wins"] + table[1]["wins"] >= 24

    again = await polling.poll(rt)  # every race has results now: nothing to consider
    assert again["considered"] == []
    assert json.loads(json.dumps(report))  # the report is JSON-ready (job result)

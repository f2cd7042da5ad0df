"""Parsing of recorded Jolpica payloads, paged payloads, and malformed ones."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from draftroom.errors import MalformedPayload
from draftroom.jolpica import parsing
from tests.fakes.jolpica import paginate

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "jolpica"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def pages_of(payload: dict[str, Any], size: int) -> list[dict[str, Any]]:
    total = int(payload["MRData"]["total"])
    return [paginate(payload, size, offset, "u") for offset in range(0, total, size)]


def test_2024_round_1_verstappen_wins_with_the_fastest_lap() -> None:
    rows = parsing.parse_results(load("2024/1/results.json"), 2024, 1)
    winner = rows[0]
    assert (winner.driver_ref, winner.position, winner.position_text) == ("max_verstappen", 1, "1")
    assert winner.classified and winner.grid == 1 and winner.status == "Finished"
    assert winner.points == 26.0 and winner.fastest_lap_rank == 1
    assert winner.constructor_ref == "red_bull" and winner.number == 1
    assert [r.position for r in rows] == list(range(1, len(rows) + 1))


def test_2024_round_14_final_has_russell_disqualified_and_hamilton_winning() -> None:
    rows = parsing.parse_results(load("2024/14/results.json"), 2024, 14)
    assert rows[0].driver_ref == "hamilton" and rows[0].points == 25.0
    russell = next(r for r in rows if r.driver_ref == "russell")
    assert (russell.position_text, russell.status, russell.points) == ("D", "Disqualified", 0.0)
    assert not russell.classified
    zhou = next(r for r in rows if r.driver_ref == "zhou")
    assert (zhou.position_text, zhou.status, zhou.laps) == ("R", "Retired", 5)


def test_2024_round_14_provisional_has_russell_first_and_everyone_one_place_down() -> None:
    final = parsing.parse_results(load("2024/14/results.json"), 2024, 14)
    provisional = parsing.parse_results(load("2024/14/results.provisional.json"), 2024, 14)
    assert (provisional[0].driver_ref, provisional[0].points) == ("russell", 25.0)
    assert [r.driver_ref for r in provisional[1:]] == [r.driver_ref for r in final[:-1]]
    assert provisional[1].driver_ref == "hamilton" and provisional[1].points == 18.0
    assert final != provisional


def test_withdrawn_driver_and_pit_lane_start() -> None:
    gasly = next(
        r
        for r in parsing.parse_results(load("2024/12/results.json"), 2024, 12)
        if r.driver_ref == "gasly"
    )
    assert (gasly.position_text, gasly.status, gasly.points) == ("W", "Did not start", 0.0)
    hamilton = next(
        r
        for r in parsing.parse_results(load("2024/17/results.json"), 2024, 17)
        if r.driver_ref == "hamilton"
    )
    assert (hamilton.grid, hamilton.position) == (0, 9)


def test_sprint_and_qualifying() -> None:
    sprint = parsing.parse_sprint(load("2024/5/sprint.json"), 2024, 5)
    assert (sprint[0].driver_ref, sprint[0].points) == ("max_verstappen", 8.0)
    qualifying = parsing.parse_qualifying(load("2024/14/qualifying.json"), 2024, 14)
    assert qualifying[0].driver_ref == "max_verstappen" and qualifying[0].position == 1
    assert len(qualifying) == 20


def test_weekend_classification_combines_race_sprint_and_qualifying() -> None:
    c = parsing.parse_classification(
        2024,
        5,
        load("2024/5/results.json"),
        load("2024/5/sprint.json"),
        load("2024/5/qualifying.json"),
    )
    assert (c.season, c.round, c.has_results) == (2024, 5, True)
    assert len(c.race) == 20 and len(c.sprint) == 20 and len(c.qualifying) == 20
    assert ("max_verstappen", "Max Verstappen") in c.driver_names


def test_unpublished_round_parses_to_no_rows() -> None:
    empty = {
        "MRData": {
            "limit": "30",
            "offset": "0",
            "total": "0",
            "RaceTable": {"season": "2026", "round": "12", "Races": []},
        }
    }
    assert parsing.parse_results(empty, 2026, 12) == ()
    assert not parsing.parse_classification(2026, 12, empty).has_results


@pytest.mark.parametrize("size", [1, 7, 19, 100])
def test_pages_merge_by_season_and_round_into_the_unpaged_result(size: int) -> None:
    payload = load("2024/14/results.json")
    assert parsing.parse_results(pages_of(payload, size), 2024, 14) == parsing.parse_results(
        payload, 2024, 14
    )


def test_schedule_with_session_times() -> None:
    races = parsing.parse_races(pages_of(load("2024/races.json"), 10))
    assert len(races) == 24 and [r.round for r in races] == list(range(1, 25))
    china = races[4]
    assert (china.name, china.circuit_ref, china.has_sprint) == (
        "Chinese Grand Prix",
        "shanghai",
        True,
    )
    assert china.starts_at == datetime(2024, 4, 21, 7, 0, tzinfo=UTC)
    assert china.qualifying_at == datetime(2024, 4, 20, 7, 0, tzinfo=UTC)
    assert china.sprint_at == datetime(2024, 4, 20, 3, 0, tzinfo=UTC)
    assert china.sprint_qualifying_at == datetime(2024, 4, 19, 7, 30, tzinfo=UTC)
    assert not races[0].has_sprint and races[0].circuit_ref == "bahrain"
    season_2026 = parsing.parse_races(load("2026/races.json"))
    assert len(season_2026) == 23 and sum(r.has_sprint for r in season_2026) == 6
    assert (season_2026[15].circuit_ref, season_2026[15].country) == ("sepang", "Malaysia")


def test_drivers_and_constructors() -> None:
    drivers = {d.ref: d for d in parsing.parse_drivers(pages_of(load("2026/drivers.json"), 5))}
    assert len(drivers) == 23
    lindblad = drivers["arvid_lindblad"]
    assert (lindblad.code, lindblad.number, lindblad.full_name) == ("LIN", 41, "Arvid Lindblad")
    teams = {c.ref: c for c in parsing.parse_constructors(load("2026/constructors.json"))}
    assert len(teams) == 11 and {"audi", "cadillac", "rb", "red_bull"} <= set(teams)
    assert teams["red_bull"].name == "Red Bull"


def test_driver_standings() -> None:
    standings = parsing.parse_driver_standings(pages_of(load("2024/driverstandings.json"), 6))
    assert standings is not None and (standings.season, standings.round) == (2024, 24)
    leader = standings.rows[0]
    assert (leader.driver.ref, leader.points, leader.wins, leader.position) == (
        "max_verstappen",
        437.0,
        9,
        1,
    )
    assert leader.constructor_refs == ("red_bull",)
    empty = {"MRData": {"StandingsTable": {"season": "2027", "StandingsLists": []}}}
    assert parsing.parse_driver_standings(empty) is None


def test_page_info() -> None:
    page = paginate(load("2024/races.json"), 10, 20, "u")
    assert parsing.page_info(page) == (10, 20, 24)


Mutation = Callable[[dict[str, Any]], Any]


def _row(p: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = p["MRData"]["RaceTable"]["Races"][0]["Results"][0]
    return row


MALFORMED_RESULTS: list[tuple[str, Mutation, str]] = [
    ("no MRData", lambda p: p.pop("MRData"), "MRData"),
    ("no RaceTable", lambda p: p["MRData"].pop("RaceTable"), "RaceTable"),
    ("Races not a list", lambda p: p["MRData"]["RaceTable"].update(Races={}), "Races"),
    ("race not an object", lambda p: p["MRData"]["RaceTable"].update(Races=["x"]), "Races[0]"),
    ("Results missing", lambda p: p["MRData"]["RaceTable"]["Races"][0].pop("Results"), "Results"),
    (
        "row a string",
        lambda p: p["MRData"]["RaceTable"]["Races"][0].update(Results=["1"]),
        "Results[0]",
    ),
    ("no Driver", lambda p: _row(p).pop("Driver"), "Driver"),
    ("no driverId", lambda p: _row(p)["Driver"].pop("driverId"), "driverId"),
    ("driverId a list", lambda p: _row(p)["Driver"].update(driverId=[]), "driverId"),
    ("position text", lambda p: _row(p).update(position="first"), "position"),
    ("position missing", lambda p: _row(p).pop("position"), "position"),
    ("positionText unknown", lambda p: _row(p).update(positionText="X"), "positionText"),
    ("points text", lambda p: _row(p).update(points="lots"), "points"),
    ("points nan", lambda p: _row(p).update(points="nan"), "points"),
    ("grid text", lambda p: _row(p).update(grid="P1"), "grid"),
    ("laps boolean", lambda p: _row(p).update(laps=True), "laps"),
    ("FastestLap not an object", lambda p: _row(p).update(FastestLap="1"), "FastestLap"),
    ("season text", lambda p: p["MRData"]["RaceTable"]["Races"][0].update(season="abc"), "season"),
    ("another round", lambda p: p["MRData"]["RaceTable"]["Races"][0].update(round="2"), "Races[0]"),
]


@pytest.mark.parametrize(
    ("mutate", "field"),
    [(m, f) for _, m, f in MALFORMED_RESULTS],
    ids=[name for name, _, _ in MALFORMED_RESULTS],
)
def test_malformed_results_raise_malformed_payload_naming_the_field(
    mutate: Mutation, field: str
) -> None:
    payload = copy.deepcopy(load("2024/1/results.json"))
    mutate(payload)
    with pytest.raises(MalformedPayload) as caught:
        parsing.parse_classification(2024, 1, payload)
    assert field in caught.value.message
    assert caught.value.code == "malformed_payload"


def _race(p: dict[str, Any]) -> dict[str, Any]:
    race: dict[str, Any] = p["MRData"]["RaceTable"]["Races"][0]
    return race


MALFORMED_OTHERS: list[tuple[str, str, Callable[[Any], Any], Mutation, str]] = [
    (
        "race without date",
        "2024/races.json",
        parsing.parse_races,
        lambda p: _race(p).pop("date"),
        "date",
    ),
    (
        "race bad date",
        "2024/races.json",
        parsing.parse_races,
        lambda p: _race(p).update(date="2024-13-45"),
        "date",
    ),
    (
        "race bad time",
        "2024/races.json",
        parsing.parse_races,
        lambda p: _race(p).update(time="noon"),
        "time",
    ),
    (
        "session not an object",
        "2024/races.json",
        parsing.parse_races,
        lambda p: _race(p).update(Qualifying="2024-03-01"),
        "Qualifying",
    ),
    (
        "race without Circuit",
        "2024/races.json",
        parsing.parse_races,
        lambda p: _race(p).pop("Circuit"),
        "Circuit",
    ),
    (
        "driver without driverId",
        "2024/drivers.json",
        parsing.parse_drivers,
        lambda p: p["MRData"]["DriverTable"]["Drivers"][0].pop("driverId"),
        "driverId",
    ),
    (
        "driver number text",
        "2024/drivers.json",
        parsing.parse_drivers,
        lambda p: p["MRData"]["DriverTable"]["Drivers"][0].update(permanentNumber="x"),
        "permanentNumber",
    ),
    (
        "constructors not a list",
        "2024/constructors.json",
        parsing.parse_constructors,
        lambda p: p["MRData"]["ConstructorTable"].update(Constructors="all"),
        "Constructors",
    ),
    (
        "standings points text",
        "2024/driverstandings.json",
        parsing.parse_driver_standings,
        lambda p: p["MRData"]["StandingsTable"]["StandingsLists"][0]["DriverStandings"][0].update(
            points="many"
        ),
        "points",
    ),
    (
        "standings round missing",
        "2024/driverstandings.json",
        parsing.parse_driver_standings,
        lambda p: p["MRData"]["StandingsTable"]["StandingsLists"][0].pop("round"),
        "round",
    ),
    (
        "total text",
        "2024/races.json",
        parsing.page_info,
        lambda p: p["MRData"].update(total="lots"),
        "total",
    ),
]


@pytest.mark.parametrize(
    ("name", "parse", "mutate", "field"),
    [(f, p, m, fl) for _, f, p, m, fl in MALFORMED_OTHERS],
    ids=[row[0] for row in MALFORMED_OTHERS],
)
def test_malformed_other_endpoints_raise_malformed_payload(
    name: str, parse: Callable[[Any], Any], mutate: Mutation, field: str
) -> None:
    payload = copy.deepcopy(load(name))
    mutate(payload)
    with pytest.raises(MalformedPayload) as caught:
        parse(payload)
    assert field in caught.value.message


@pytest.mark.parametrize("payload", [[], "text", None, 42])
def test_a_payload_that_is_not_an_object_is_malformed(payload: Any) -> None:
    with pytest.raises(MalformedPayload):
        parsing.parse_results([payload], 2024, 1)

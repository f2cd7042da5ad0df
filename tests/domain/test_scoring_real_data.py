"""Real 2024 and 2025 seasons: official F1 scoring as overrides reproduces the championship.

The fixtures are built from F1DB by ``tests/fixtures/scoring/build_scoring_fixture.py``.
F1 dropped the fastest-lap point from 2025, so the overrides are per season: 2024 awards
1 point for the fastest lap to a top-10 finisher, 2025 awards none.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from draftroom.domain.classification import Classification, QualifyingRow, ResultRow
from draftroom.domain.scoring import ScoringTable, driver_weekend_points
from draftroom.domain.standings import driver_season_points

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scoring"

F1_RULES: dict[str, Any] = {
    "race": [25, 18, 15, 12, 10, 8, 6, 4, 2, 1],
    "sprint": [8, 7, 6, 5, 4, 3, 2, 1],
    "fastest_lap": 1,
    "fastest_lap_top10_only": True,
    "pole": 0,
    "position_gained": 0,
    "position_lost": 0,
    "dnf": 0,
    "dsq": 0,
}
OFFICIAL = {
    2024: ScoringTable.with_overrides(F1_RULES),
    2025: ScoringTable.with_overrides({**F1_RULES, "fastest_lap": 0}),  # no FL point in 2025
}


def _row(raw: dict[str, Any]) -> ResultRow:
    return ResultRow(
        driver_ref=raw["driverId"],
        position=raw["position"],
        position_text=raw["positionText"],
        grid=raw["grid"],
        status=raw["status"],
        points=raw["points"],
        fastest_lap_rank=raw.get("fastestLapRank"),
    )


@cache
def load_season(season: int) -> tuple[list[Classification], dict[str, float]]:
    """The season's weekends as Classifications, and the expected final championship."""
    data = json.loads((FIXTURES / f"{season}.json").read_text(encoding="utf-8"))
    names = tuple(sorted(data["driverNames"].items()))
    weekends = [
        Classification(
            season=season,
            round=rnd["round"],
            race=tuple(_row(r) for r in rnd["race"]),
            sprint=tuple(_row(r) for r in rnd["sprint"]),
            qualifying=(QualifyingRow(rnd["pole"], 1),) if rnd["pole"] else (),
            driver_names=names,
        )
        for rnd in data["rounds"]
    ]
    return weekends, {s["driverId"]: s["points"] for s in data["standings"]}


def season_totals(season: int, table: ScoringTable) -> dict[str, float]:
    return driver_season_points(load_season(season)[0], table)


@pytest.mark.parametrize("season", [2024, 2025])
def test_official_scoring_reproduces_every_drivers_championship_total(season: int) -> None:
    weekends, expected = load_season(season)
    assert len(weekends) == 24
    totals = season_totals(season, OFFICIAL[season])
    assert set(totals) == set(expected)
    assert totals == expected


@pytest.mark.parametrize(
    ("season", "leaders"),
    [
        (2024, {"max-verstappen": 437, "lando-norris": 374, "charles-leclerc": 356,
                "oscar-piastri": 292}),
        (2025, {"lando-norris": 423, "max-verstappen": 421, "oscar-piastri": 410,
                "george-russell": 319, "charles-leclerc": 242}),
    ],
)  # fmt: skip
def test_official_scoring_gives_the_known_leaders(season: int, leaders: dict[str, int]) -> None:
    totals = season_totals(season, OFFICIAL[season])
    assert {ref: totals[ref] for ref in leaders} == leaders


@pytest.mark.parametrize("season", [2024, 2025])
def test_every_weekend_matches_the_official_row_points(season: int) -> None:
    for weekend in load_season(season)[0]:
        official: dict[str, Decimal] = defaultdict(Decimal)
        for row in weekend.race + weekend.sprint:
            official[row.driver_ref] += Decimal(str(row.points))
        ours = {
            ref: Decimal(str(p.total))
            for ref, p in driver_weekend_points(weekend, OFFICIAL[season]).items()
        }
        assert ours == official, f"{season} round {weekend.round}"


def test_2024_fastest_lap_outside_top10_scores_nothing() -> None:
    weekends = {w.round: w for w in load_season(2024)[0]}
    singapore = weekends[18]  # Ricciardo set the fastest lap finishing P18
    row = next(r for r in singapore.race if r.fastest_lap_rank == 1)
    assert (row.driver_ref, row.position_text) == ("daniel-ricciardo", "18")
    assert driver_weekend_points(singapore, OFFICIAL[2024])["daniel-ricciardo"].total == 0
    anywhere = ScoringTable.with_overrides({**F1_RULES, "fastest_lap_top10_only": False})
    assert driver_weekend_points(singapore, anywhere)["daniel-ricciardo"].fastest_lap == 1


def test_2025_with_a_fastest_lap_point_would_not_match() -> None:
    _, expected = load_season(2025)
    totals = season_totals(2025, OFFICIAL[2024])
    assert {ref for ref, v in totals.items() if v != expected[ref]}


def test_default_table_on_the_2024_belgian_gp() -> None:
    belgium = {w.round: w for w in load_season(2024)[0]}[14]
    points = driver_weekend_points(belgium, ScoringTable())
    russell = points["george-russell"]  # crossed the line first, disqualified (underweight)
    assert (russell.total, russell.dsq, russell.race, russell.position_gained) == (-10, -10, 0, 0)
    hamilton = points["lewis-hamilton"]  # inherited the win from P3 on the grid
    assert (hamilton.race, hamilton.position_gained, hamilton.total) == (25, 2, 27)
    verstappen = points["max-verstappen"]  # qualifying P1, grid 11 after a penalty, P4
    assert verstappen.breakdown == {
        "race": 12, "sprint": 0, "pole": 1, "fastest_lap": 0,
        "position_gained": 7, "position_lost": 0, "dnf": 0, "dsq": 0,
    }  # fmt: skip
    assert points["sergio-perez"].fastest_lap == 1

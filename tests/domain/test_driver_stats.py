"""Driver statistics for drafting: table-driven over small hand-made weekends."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom.domain.classification import Classification, QualifyingRow, ResultRow
from draftroom.domain.driver_stats import DriverStats, Weekend, season_stats


def row(ref: str, position: int, text: str | None = None) -> ResultRow:
    return ResultRow(ref, position, text or str(position), grid=position, status="", points=0)


def weekend(
    race_id: int,
    round_: int,
    race: list[ResultRow],
    points: dict[str, float],
    pole: str | None = None,
    sprint: list[ResultRow] | None = None,
) -> Weekend:
    quali = (QualifyingRow(pole, 1),) if pole else ()
    c = Classification(2026, round_, tuple(race), tuple(sprint or ()), quali)
    return Weekend(race_id, round_, c, points)


# ALO: P1 (pole), R, P3, D, P2 over five rounds (given out of order); BOT: W, P4, F, N, P5;
# SUB: one weekend only (round 3, P10); SPR: only a sprint row (round 1)
WEEKENDS = [
    weekend(
        104,
        4,
        [row("alo", 1, "D"), row("bot", 2, "N")],
        {"alo": -10, "bot": -5},
    ),
    weekend(
        101,
        1,
        [row("alo", 1), row("bot", 2, "W")],
        {"alo": 26.5, "bot": 0, "spr": 3},
        pole="alo",
        sprint=[row("spr", 6)],
    ),
    weekend(
        105,
        5,
        [row("alo", 2), row("bot", 5)],
        {"alo": 18, "bot": 11},
        pole="bot",
    ),
    weekend(103, 3, [row("alo", 3), row("bot", 4, "F"), row("sub", 10)], {"alo": 15, "sub": 1}),
    weekend(102, 2, [row("bot", 4), row("alo", 5, "R")], {"alo": -5, "bot": 12}, pole="alo"),
]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        (
            "alo",
            DriverStats(
                races=5, avg_finish=2.0, podiums=3, dnfs=1, dsqs=1, poles=2, weekends=5,
                fantasy_points=44.5, avg_fantasy_points=8.9, form=(15.0, -10.0, 18.0),
                form_race_ids=(103, 104, 105), form_points=23.0,
            ),
        ),
        (
            "bot",
            DriverStats(
                races=3, avg_finish=4.5, podiums=0, dnfs=1, dsqs=0, poles=1, weekends=4,
                fantasy_points=18.0, avg_fantasy_points=4.5, form=(12.0, -5.0, 11.0),
                form_race_ids=(102, 104, 105), form_points=18.0,
            ),
        ),
        (
            "sub",
            DriverStats(
                races=1, avg_finish=10.0, weekends=1, fantasy_points=1.0, avg_fantasy_points=1.0,
                form=(1.0,), form_race_ids=(103,), form_points=1.0,
            ),
        ),
        (
            "spr",
            DriverStats(
                weekends=1, fantasy_points=3.0, avg_fantasy_points=3.0, form=(3.0,),
                form_race_ids=(101,), form_points=3.0,
            ),
        ),
    ],
)  # fmt: skip
def test_season_stats(ref: str, expected: DriverStats) -> None:
    assert season_stats(WEEKENDS)[ref] == expected


def test_order_of_the_input_does_not_matter() -> None:
    assert season_stats(WEEKENDS) == season_stats(list(reversed(WEEKENDS)))


def test_no_weekend_no_stats() -> None:
    assert season_stats([]) == {}
    empty: dict[str, Any] = DriverStats().to_dict()
    assert empty["avg_finish"] is None and empty["avg_fantasy_points"] is None
    assert empty["form"] == [] and empty["races"] == 0


@pytest.mark.parametrize(
    ("points", "average"),
    [([1, 2], 1.5), ([1, 1, 2], 1.33), ([2, 2, 1], 1.67), ([0.1, 0.2], 0.15), ([-5, -10], -7.5)],
)
def test_averages_are_rounded_half_up_to_two_places(points: list[float], average: float) -> None:
    weekends = [weekend(i, i, [row("x", 1)], {"x": p}) for i, p in enumerate(points, start=1)]
    assert season_stats(weekends)["x"].avg_fantasy_points == average

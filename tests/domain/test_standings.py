"""League standings: season sums, wins, tie-breaks (SPEC section 1)."""

from __future__ import annotations

import pytest

from draftroom.domain.classification import Classification, ResultRow
from draftroom.domain.standings import (
    StandingRow,
    driver_season_points,
    league_standings,
    race_winners,
)
from draftroom.errors import ValidationFailed


def order(rows: list[StandingRow]) -> list[int]:
    return [r.team_id for r in rows]


def test_sums_races_and_fills_every_column() -> None:
    rows = league_standings([{1: 30.5, 2: 20}, {1: 10, 2: 40.2}], teams_in_join_order=[1, 2])
    assert rows == [
        StandingRow(rank=1, team_id=2, points=60.2, races=2, wins=1, last_race_points=40.2,
                    best_race_points=40.2),
        StandingRow(rank=2, team_id=1, points=40.5, races=2, wins=1, last_race_points=10.0,
                    best_race_points=30.5),
    ]  # fmt: skip


# (case, race scores in race order, join order, expected team order)
TIE_CASES = [
    ("points first", [{1: 10, 2: 20}], [1, 2], [2, 1]),
    (
        "equal points: more wins",  # 1 wins two races, 2 wins one; both 30
        [{1: 11, 2: 10}, {1: 11, 2: 10}, {1: 8, 2: 10}],
        [2, 1],
        [1, 2],
    ),
    (
        "equal points and wins: best single race",  # 1 best 40, 2 best 35
        [{1: 40, 2: 5}, {1: 0, 2: 35}],
        [2, 1],
        [1, 2],
    ),
    (
        "equal points, wins and best race: earlier join",
        [{1: 30, 2: 10}, {1: 10, 2: 30}],
        [2, 1],
        [2, 1],
    ),
    ("nothing played: join order", [], [3, 1, 2], [3, 1, 2]),
    (
        "negative scores still rank by points",
        [{1: -7.5, 2: -2.5, 3: 0}],
        [1, 2, 3],
        [3, 2, 1],
    ),
    (
        "a team without races ranks below an equal team with a race",
        [{1: 0}],
        [2, 1],
        [1, 2],
    ),
]


@pytest.mark.parametrize(
    ("case", "races", "joined", "expected"), TIE_CASES, ids=[c[0] for c in TIE_CASES]
)
def test_tie_breaks(
    case: str, races: list[dict[int, float]], joined: list[int], expected: list[int]
) -> None:
    rows = league_standings(races, joined)
    assert order(rows) == expected
    assert [r.rank for r in rows] == list(range(1, len(expected) + 1))


@pytest.mark.parametrize(
    ("scores", "winners"),
    [
        ({1: 10, 2: 20, 3: 5}, {2}),
        ({1: 20, 2: 20, 3: 5}, {1, 2}),  # a tie for the best score: a win for each
        ({1: 0.3, 2: 0.1 + 0.2}, {1, 2}),  # compared as decimals
        ({1: -5}, {1}),
        ({}, set()),
    ],
)
def test_race_winners(scores: dict[int, float], winners: set[int]) -> None:
    assert race_winners(scores) == winners


def test_shared_best_score_counts_as_a_win_for_each() -> None:
    rows = league_standings([{1: 20, 2: 20, 3: 5}], [1, 2, 3])
    assert {r.team_id: r.wins for r in rows} == {1: 1, 2: 1, 3: 0}


def test_team_missing_a_race_plays_fewer_races_and_scores_0_last_race() -> None:
    rows = league_standings([{1: 5, 2: 7}, {1: 3}], [1, 2])
    by_team = {r.team_id: r for r in rows}
    assert (by_team[2].races, by_team[2].last_race_points, by_team[2].wins) == (1, 0.0, 1)
    assert (by_team[1].races, by_team[1].last_race_points, by_team[1].wins) == (2, 3.0, 1)


def test_scores_of_teams_outside_the_league_are_ignored() -> None:
    rows = league_standings([{1: 5, 99: 50}], [1])
    assert [(r.team_id, r.points, r.wins) for r in rows] == [(1, 5.0, 1)]


def test_sums_without_float_drift() -> None:
    rows = league_standings([{1: 0.1}] * 3, [1])
    assert rows[0].points == 0.3


def test_duplicate_team_refused() -> None:
    with pytest.raises(ValidationFailed):
        league_standings([], [1, 1])


def test_driver_season_points_sums_weekends() -> None:
    def weekend(rnd: int, *rows: ResultRow) -> Classification:
        return Classification(2024, rnd, race=rows)

    weekends = [
        weekend(
            1, ResultRow("a", 1, "1", 1, "Finished", 25), ResultRow("b", 2, "R", 2, "Engine", 0)
        ),
        weekend(2, ResultRow("b", 1, "1", 2, "Finished", 25)),
    ]
    assert driver_season_points(weekends) == {"a": 25.0, "b": -5.0 + 26.0}
    assert driver_season_points([]) == {}

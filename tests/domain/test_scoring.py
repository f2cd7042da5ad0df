"""Scoring rules of SPEC section 1, one table row per rule."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom.domain.classification import Classification, QualifyingRow, ResultRow
from draftroom.domain.scoring import (
    DriverPoints,
    ScoringTable,
    driver_weekend_points,
    round_points,
    team_race_score,
)
from draftroom.errors import ValidationFailed


def row(
    ref: str, pos: int, text: str | None = None, grid: int | None = None, **kw: Any
) -> ResultRow:
    """A result row; ``text`` defaults to the position, ``grid`` to the position."""
    return ResultRow(
        driver_ref=ref,
        position=pos,
        position_text=text if text is not None else str(pos),
        grid=pos if grid is None else grid,
        status=kw.pop("status", "Finished"),
        points=kw.pop("points", 0),
        **kw,
    )


def field(n: int, *special: ResultRow) -> tuple[ResultRow, ...]:
    """``n`` rows: the ``special`` ones at their positions, fillers elsewhere."""
    taken = {r.position: r for r in special}
    return tuple(taken.get(p) or row(f"filler{p}", p) for p in range(1, n + 1))


def weekend(race: tuple[ResultRow, ...] = (), **kw: Any) -> Classification:
    return Classification(season=2024, round=1, race=race, **kw)


def points_of(ref: str, c: Classification, table: ScoringTable | None = None) -> DriverPoints:
    return driver_weekend_points(c, table or ScoringTable())[ref]


def test_default_table_is_the_spec_table() -> None:
    assert ScoringTable().to_dict() == {
        "race": [25, 18, 15, 12, 10, 8, 6, 4, 2, 1],
        "sprint": [8, 7, 6, 5, 4, 3, 2, 1],
        "pole": 1,
        "fastest_lap": 1,
        "fastest_lap_top10_only": False,
        "position_gained": 1,
        "position_lost": -1,
        "dnf": -5,
        "dsq": -10,
    }
    assert ScoringTable.keys() == tuple(ScoringTable().to_dict())


# (case, race row of driver "x" in a 20-car field, expected breakdown subset, total)
RACE_CASES = [
    ("win from pole-grid", row("x", 1, grid=1), {"race": 25}, 25),
    ("win from P3 gains 2", row("x", 1, grid=3), {"race": 25, "position_gained": 2}, 27),
    ("P10 from P4 loses 6", row("x", 10, grid=4), {"race": 1, "position_lost": -6}, -5),
    ("P11 scores no position points", row("x", 11, grid=11), {"race": 0}, 0),
    ("P12 from P15", row("x", 12, grid=15), {"position_gained": 3}, 3),
    ("DNF (R)", row("x", 18, "R", grid=2, status="Engine"), {"dnf": -5, "position_lost": 0}, -5),
    ("not classified (N) is a DNF", row("x", 17, "N", grid=5), {"dnf": -5}, -5),
    ("DSQ (D): no position points", row("x", 20, "D", grid=1), {"dsq": -10, "race": 0}, -10),
    ("excluded (E) is a DSQ", row("x", 19, "E", grid=19), {"dsq": -10}, -10),
    ("withdrawn (W): nothing", row("x", 20, "W", grid=7), {"dnf": 0, "dsq": 0}, 0),
    ("failed to qualify (F): nothing", row("x", 20, "F", grid=0), {"dnf": 0}, 0),
    ("pit-lane start counts as grid N=20", row("x", 15, grid=0), {"position_gained": 5}, 5),
    ("pit-lane start finishing last", row("x", 20, grid=0), {"position_gained": 0}, 0),
    ("pit-lane winner", row("x", 1, grid=0), {"race": 25, "position_gained": 19}, 44),
    ("fastest lap in the top 10", row("x", 3, fastest_lap_rank=1), {"fastest_lap": 1}, 16),
    ("fastest lap outside the top 10", row("x", 14, fastest_lap_rank=1), {"fastest_lap": 1}, 1),
    ("fastest lap rank 2 scores nothing", row("x", 3, fastest_lap_rank=2), {"fastest_lap": 0}, 15),
    ("retired with the fastest lap", row("x", 18, "R", fastest_lap_rank=1), {"dnf": -5}, -4),
    ("disqualified with the fastest lap", row("x", 20, "D", fastest_lap_rank=1), {}, -10),
]


@pytest.mark.parametrize(
    ("case", "race_row", "parts", "total"), RACE_CASES, ids=[c[0] for c in RACE_CASES]
)
def test_race_rules(case: str, race_row: ResultRow, parts: dict[str, float], total: float) -> None:
    pts = points_of("x", weekend(field(20, race_row)))
    assert {k: pts.breakdown[k] for k in parts} == parts
    assert pts.total == total
    assert pts.total == sum(pts.breakdown.values())


@pytest.mark.parametrize(
    ("position", "text", "top10_only", "expected"),
    [
        (10, "10", True, 1),
        (11, "11", True, 0),
        (1, "1", True, 1),
        (15, "R", True, 0),
        (11, "11", False, 1),
        (15, "R", False, 1),
    ],
)
def test_fastest_lap_top10_only(position: int, text: str, top10_only: bool, expected: int) -> None:
    table = ScoringTable.with_overrides({"fastest_lap_top10_only": top10_only})
    race = field(20, row("x", position, text, fastest_lap_rank=1))
    assert points_of("x", weekend(race), table).fastest_lap == expected


@pytest.mark.parametrize(
    ("quali_position", "expected"), [(1, 1), (2, 0), (20, 0)]
)  # fmt: skip
def test_pole_is_qualifying_p1_not_grid(quali_position: int, expected: int) -> None:
    race = field(20, row("x", 5, grid=11))  # grid penalty: starts 11th
    quali = (QualifyingRow("x", quali_position), QualifyingRow("y", 1 if quali_position > 1 else 2))
    assert points_of("x", weekend(race, qualifying=quali)).pole == expected


def test_pole_counts_even_when_the_driver_then_withdraws() -> None:
    c = weekend(field(20, row("x", 20, "W", grid=1)), qualifying=(QualifyingRow("x", 1),))
    assert points_of("x", c).total == 1


# (sprint row of "x", expected sprint points); penalties never apply to the sprint
SPRINT_CASES = [
    (row("x", 1, grid=8), 8),
    (row("x", 8, grid=1), 1),
    (row("x", 9, grid=20), 0),
    (row("x", 19, "R", grid=1), 0),
    (row("x", 20, "D", grid=1), 0),
    (row("x", 20, "W", grid=1), 0),
    (row("x", 3, grid=0, fastest_lap_rank=1), 6),
]


@pytest.mark.parametrize(("sprint_row", "expected"), SPRINT_CASES)
def test_sprint_scores_positions_only(sprint_row: ResultRow, expected: int) -> None:
    c = weekend(field(20, row("x", 5)), sprint=field(20, sprint_row))
    pts = points_of("x", c)
    assert pts.sprint == expected
    assert pts.total == 10 + expected  # race P5 from P5; no sprint penalty, gain or FL


def test_weekend_adds_race_sprint_pole_and_fastest_lap() -> None:
    c = weekend(
        field(20, row("x", 2, grid=4, fastest_lap_rank=1)),
        sprint=field(20, row("x", 1)),
        qualifying=(QualifyingRow("x", 1),),
    )
    pts = points_of("x", c)
    assert pts.breakdown == {
        "race": 18, "sprint": 8, "pole": 1, "fastest_lap": 1,
        "position_gained": 2, "position_lost": 0, "dnf": 0, "dsq": 0,
    }  # fmt: skip
    assert (pts.total, pts.places) == (30, 2)


def test_every_driver_of_any_session_is_scored() -> None:
    c = weekend((row("a", 1),), sprint=(row("b", 1),), qualifying=(QualifyingRow("c", 1),))
    assert set(driver_weekend_points(c, ScoringTable())) == {"a", "b", "c"}


def test_overrides_change_only_their_keys() -> None:
    table = ScoringTable.with_overrides(
        {"race": [10, 5], "dnf": -2.5, "position_gained": 0.5, "pole": 3}
    )
    assert table.race == (10, 5)
    assert table.sprint == ScoringTable().sprint
    c = weekend(field(20, row("x", 2, grid=5), row("y", 10, "R", grid=1)),
                qualifying=(QualifyingRow("x", 1),))  # fmt: skip
    assert points_of("x", c, table).total == 5 + 1.5 + 3
    assert points_of("y", c, table).total == -2.5
    assert points_of("filler3", c, table).total == 0  # P3 scores nothing with a 2-entry table


def test_overrides_accept_none_and_empty() -> None:
    assert ScoringTable.with_overrides(None) == ScoringTable()
    assert ScoringTable.with_overrides({}) == ScoringTable()
    assert ScoringTable.with_overrides({"sprint": []}).sprint == ()


def test_overrides_on_a_base_table() -> None:
    base = ScoringTable.with_overrides({"pole": 5})
    assert ScoringTable.with_overrides({"dsq": 0}, base=base).pole == 5


INVALID = [
    ({"bogus": 1}, "scoring.bogus", "unknown scoring key"),
    ({"race": "25,18"}, "scoring.race", "must be a list of numbers"),
    ({"race": 25}, "scoring.race", "must be a list of numbers"),
    ({"race": [25, "18"]}, "scoring.race[1]", "must be a number"),
    ({"race": [25, -1]}, "scoring.race[1]", "must not be negative"),
    ({"sprint": [8, True]}, "scoring.sprint[1]", "must be a number"),
    ({"sprint": [1] * 31}, "scoring.sprint", "must have at most 30 entries"),
    ({"race": [25.25]}, "scoring.race[0]", "must have at most one decimal"),
    ({"pole": -1}, "scoring.pole", "must not be negative"),
    ({"pole": None}, "scoring.pole", "must be a number"),
    ({"fastest_lap": float("nan")}, "scoring.fastest_lap", "must be a finite number"),
    ({"position_gained": 1e9}, "scoring.position_gained", "must be between -1000 and 1000"),
    ({"dnf": 5}, "scoring.dnf", "must not be positive (it is a penalty)"),
    ({"dsq": "-10"}, "scoring.dsq", "must be a number"),
    ({"position_lost": 1}, "scoring.position_lost", "must not be positive (it is a penalty)"),
    ({"fastest_lap_top10_only": 1}, "scoring.fastest_lap_top10_only", "must be true or false"),
    ({"fastest_lap_top10_only": "yes"}, "scoring.fastest_lap_top10_only", "must be true or false"),
]


@pytest.mark.parametrize(("overrides", "field_name", "message"), INVALID)
def test_invalid_overrides_are_refused_with_details(
    overrides: dict[str, Any], field_name: str, message: str
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        ScoringTable.with_overrides(overrides)
    assert exc.value.code == "validation_error"
    assert exc.value.details == [{"field": field_name, "message": message}]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as exc:
        ScoringTable.with_overrides({"pole": "x", "dnf": 3, "nope": 0})
    assert [d["field"] for d in exc.value.details] == [
        "scoring.pole",
        "scoring.dnf",
        "scoring.nope",
    ]


def test_overrides_must_be_a_mapping() -> None:
    with pytest.raises(ValidationFailed):
        ScoringTable.with_overrides([("pole", 1)])  # type: ignore[arg-type]


# (weekend points of a, b, c; captain; multiplier; expected per-driver points; total)
TEAM_CASES = [
    ({"a": 25, "b": 10}, "a", 1.5, {"a": 37.5, "b": 10}, 47.5),
    ({"a": 25, "b": 10}, "b", 2.0, {"a": 25, "b": 20}, 45),
    ({"a": 25, "b": 10}, None, 1.5, {"a": 25, "b": 10}, 35),
    ({"a": -10, "b": 3}, "a", 1.5, {"a": -15, "b": 3}, -12),
    ({"a": 25, "b": 1}, "a", 1.25, {"a": 31.3, "b": 1}, 32.3),  # 31.25 rounds half up
    ({"a": 0.3, "b": 0.1}, "a", 1.0, {"a": 0.3, "b": 0.1}, 0.4),  # no float drift
    ({"a": 7, "b": 2.5}, "b", 3.0, {"a": 7, "b": 7.5}, 14.5),
    ({"a": 1.1}, "a", 1.35, {"a": 1.5, "b": 0}, 1.5),  # b scored nothing: 0
]


@pytest.mark.parametrize(("weekend_points", "captain", "mult", "per_driver", "total"), TEAM_CASES)
def test_team_race_score(
    weekend_points: dict[str, float],
    captain: str | None,
    mult: float,
    per_driver: dict[str, float],
    total: float,
) -> None:
    score = team_race_score(weekend_points, ["a", "b"], captain, mult)
    assert {d.driver: d.points for d in score.drivers} == per_driver
    assert [d.captain for d in score.drivers] == [captain == "a", captain == "b"]
    assert score.total == total


def test_team_race_score_takes_driver_points_and_ids() -> None:
    pts = {7: DriverPoints("x", total=12.0, race=12.0), 9: DriverPoints("y", total=-5.0, dnf=-5.0)}
    score = team_race_score(pts, [7, 9], captain=9, captain_multiplier=1.5)
    assert [(d.driver, d.fantasy_points, d.points) for d in score.drivers] == [
        (7, 12.0, 12.0),
        (9, -5.0, -7.5),
    ]
    assert score.total == 4.5


@pytest.mark.parametrize(
    ("drafted", "captain", "mult"),
    [(["a", "b"], "z", 1.5), (["a", "a"], "a", 1.5), (["a"], "a", 0.5), (["a"], "a", 3.5)],
)
def test_team_race_score_refuses_bad_input(drafted: list[str], captain: str, mult: float) -> None:
    with pytest.raises(ValidationFailed):
        team_race_score({"a": 1}, drafted, captain, mult)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.05, "0.1"), (0.15, "0.2"), (1.25, "1.3"), (-1.25, "-1.3"), (0.1 + 0.2, "0.3"), (2, "2.0")],
)
def test_round_points_half_up_to_one_decimal(value: float, expected: str) -> None:
    assert str(round_points(value)) == expected

"""Leaderboard rules: default-scoring equivalents and ranking (pure)."""

from __future__ import annotations

from decimal import Decimal

from draftroom.domain.leaderboard import (
    Entry,
    RaceScore,
    default_equivalent,
    ranked,
    season_entries,
)

D = Decimal


def test_default_equivalent_uses_default_points_and_multiplier() -> None:
    score = RaceScore(team_id=1, race_id=9, points=D("70"), drivers=(10, 11), captain=11)
    assert default_equivalent(score, {10: D("5"), 11: D("10.3")}) == D("20.5")  # 5 + 15.45
    assert default_equivalent(score, {}) == D("0")
    no_captain = RaceScore(team_id=1, race_id=9, points=D("0"), drivers=(10,), captain=None)
    assert default_equivalent(no_captain, {10: D("-5")}) == D("-5")


def test_season_entries_sum_races_and_mark_adjusted_teams() -> None:
    scores = [
        RaceScore(1, 100, D("30"), (10,), 10),
        RaceScore(1, 101, D("12.5"), (10,), 10),
        RaceScore(2, 100, D("60"), (11,), 11),  # a league with multiplier 2.0
        RaceScore(2, 101, D("-20"), (11,), 11),
    ]
    points = {100: {11: D("30")}, 101: {11: D("-10")}}
    entries = {e.team_id: e for e in season_entries(scores, {2}, points)}
    assert entries[1] == Entry(1, 42.5, 42.5, 2, 30.0, False)
    assert entries[2] == Entry(2, 30.0, 40.0, 2, 45.0, True)  # 45 - 15


def test_ranking_breaks_ties_by_best_race_then_team_id() -> None:
    a = Entry(3, 50.0, 50.0, 2, 30.0, False)
    b = Entry(1, 50.0, 50.0, 2, 40.0, False)
    c = Entry(2, 50.0, 50.0, 2, 30.0, True)
    d = Entry(4, 60.0, 60.0, 1, 60.0, False)
    assert [e.team_id for e in ranked([a, b, c, d])] == [4, 1, 2, 3]

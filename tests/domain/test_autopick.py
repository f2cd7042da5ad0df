"""Autopick: the team's queue first, then the league's ranking; the ranking's tie-breaks."""

from __future__ import annotations

import pytest

from draftroom.domain.autopick import RankingRow, build_ranking, choose_driver
from draftroom.errors import Conflict

R = RankingRow


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # season-to-date fantasy points, highest first
        ([R(1, 10.0), R(2, 30.5), R(3, 20.0)], (2, 3, 1)),
        # equal points: championship position ascending
        ([R(1, 10.0, 5), R(2, 10.0, 2), R(3, 10.0, 9)], (2, 1, 3)),
        # unknown championship position sorts last
        ([R(1, 10.0, None), R(2, 10.0, 7)], (2, 1)),
        # equal points and position: car number ascending, unknown number last
        ([R(1, 0.0, None, 44), R(2, 0.0, None, 1), R(3, 0.0, None, None)], (2, 1, 3)),
        # everything equal: driver id, so the result never depends on input order
        ([R(9, 0.0), R(4, 0.0)], (4, 9)),
        # negative points rank below zero
        ([R(1, -5.0), R(2, 0.0)], (2, 1)),
        # a driver listed twice keeps its best row
        ([R(1, 1.0), R(2, 5.0), R(1, 9.0)], (1, 2)),
        ([], ()),
    ],
)
def test_build_ranking_orders_points_then_position_then_number(
    rows: list[RankingRow], expected: tuple[int, ...]
) -> None:
    assert build_ranking(rows) == expected
    assert build_ranking(reversed(rows)) == expected


@pytest.mark.parametrize(
    ("pool", "taken", "queue", "ranking", "expected"),
    [
        # the first still-available queued driver
        ({1, 2, 3, 4}, set(), [3, 1], [1, 2, 3, 4], 3),
        ({1, 2, 3, 4}, {3}, [3, 1], [2, 1, 3, 4], 1),
        # queued drivers outside the pool are skipped
        ({1, 2, 3}, set(), [99, 2], [1, 2, 3], 2),
        # queue exhausted: best available by ranking
        ({1, 2, 3, 4}, {3, 1}, [3, 1], [1, 3, 4, 2], 4),
        ({1, 2, 3}, set(), [], [2, 3, 1], 2),
        # ranked drivers outside the pool are skipped
        ({1, 2}, set(), [], [7, 2, 1], 2),
        # drivers the ranking does not know: lowest id
        ({5, 8, 6}, {5}, [], [5], 6),
        ({5, 8, 6}, set(), [], [], 5),
    ],
)
def test_choose_driver_takes_queue_then_ranking(
    pool: set[int], taken: set[int], queue: list[int], ranking: list[int], expected: int
) -> None:
    assert choose_driver(pool, taken, queue, ranking) == expected


def test_choose_driver_with_nobody_left_is_a_conflict() -> None:
    with pytest.raises(Conflict):
        choose_driver({1, 2}, {1, 2}, [1], [2])

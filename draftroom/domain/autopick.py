"""Autopick: the first still-available driver of the team's queue, else the best by ranking.

The ranking is the league's: season-to-date fantasy points (under the league's scoring)
descending, then championship position ascending (unknown last), then car number ascending
(unknown last), then driver id; :func:`build_ranking` makes it from plain rows.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from draftroom.errors import Conflict


@dataclass(frozen=True, slots=True)
class RankingRow:
    """One driver's ranking inputs."""

    driver_id: int
    fantasy_points: float = 0.0
    championship_position: int | None = None
    car_number: int | None = None


_LAST = float("inf")


def ranking_key(row: RankingRow) -> tuple[float, float, float, int]:
    """Sort key: points desc, championship position asc, car number asc (None last), id."""
    return (
        -float(row.fantasy_points),
        _LAST if row.championship_position is None else row.championship_position,
        _LAST if row.car_number is None else row.car_number,
        row.driver_id,
    )


def build_ranking(rows: Iterable[RankingRow]) -> tuple[int, ...]:
    """Driver ids best first; deterministic whatever the input order.

    A driver listed twice keeps its best-ranked row.
    """
    seen: set[int] = set()
    out: list[int] = []
    for row in sorted(rows, key=ranking_key):
        if row.driver_id not in seen:
            seen.add(row.driver_id)
            out.append(row.driver_id)
    return tuple(out)


def choose_driver(
    pool: Collection[int],
    taken: Collection[int],
    queue: Sequence[int] = (),
    ranking: Sequence[int] = (),
) -> int:
    """The driver an autopick takes.

    The first driver of ``queue`` that is in ``pool`` and not ``taken``; else the first such
    driver of ``ranking``; else (pool drivers the ranking does not know) the lowest id.
    Raises :class:`Conflict` when no driver is left.
    """
    for driver_id in queue:
        if driver_id in pool and driver_id not in taken:
            return driver_id
    for driver_id in ranking:
        if driver_id in pool and driver_id not in taken:
            return driver_id
    rest = [d for d in pool if d not in taken]
    if not rest:
        raise Conflict("No driver is left to pick.")
    return min(rest)

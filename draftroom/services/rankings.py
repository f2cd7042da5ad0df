"""Season-to-date driver rankings from the stored results (latest revision of each race).

:func:`driver_ranking` is what draft autopick uses: fantasy points under a league's scoring
(default scoring without a league), then championship position (official points with
countback), then car number, then id — the order of
:func:`draftroom.domain.autopick.ranking_key`. Drivers entered in the season without any
result are listed with 0 points.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import asyncpg

from draftroom.contracts.results import DriverRankingOut
from draftroom.db.queries import rankings as queries
from draftroom.domain.autopick import RankingRow, ranking_key
from draftroom.domain.classification import Classification
from draftroom.domain.results import classification_from_dict
from draftroom.domain.scoring import ScoringTable, driver_weekend_points, round_points
from draftroom.errors import NotFound
from draftroom.services.scoring import league_scoring

MAX_COUNTBACK = 30


@dataclass(frozen=True)
class RankedDriver:
    """One driver's season-to-date line."""

    driver_id: int
    driver_ref: str
    code: str | None
    name: str
    fantasy_points: float
    races: int  # weekends with a race classification row
    championship_points: float
    championship_position: int | None  # None without any result
    car_number: int | None

    def ranking_row(self) -> RankingRow:
        """The autopick domain's ranking inputs."""
        return RankingRow(
            self.driver_id, self.fantasy_points, self.championship_position, self.car_number
        )

    def to_dict(self) -> DriverRankingOut:
        """The SPEC shape of ``/drivers/rankings`` (plus championship fields)."""
        return {
            "driver_id": self.driver_id,
            "driver_ref": self.driver_ref,
            "code": self.code,
            "name": self.name,
            "fantasy_points": self.fantasy_points,
            "races": self.races,
            "championship_points": self.championship_points,
            "championship_position": self.championship_position,
        }


async def season_classifications(
    season: int, conn: asyncpg.Connection | None = None
) -> list[Classification]:
    """The latest revision of every race of the season that has results."""
    return [
        classification_from_dict(raw) for raw in await queries.season_classifications(season, conn)
    ]


def _championship(weekends: list[Classification]) -> dict[str, tuple[float, int]]:
    """``{ref: (official points, position)}`` with countback on finishing positions."""
    points: dict[str, Decimal] = defaultdict(Decimal)
    finishes: dict[str, list[int]] = defaultdict(lambda: [0] * MAX_COUNTBACK)
    for weekend in weekends:
        for row in (*weekend.race, *weekend.sprint):
            points[row.driver_ref] += round_points(row.points)
        for row in weekend.race:
            if row.classified and row.position <= MAX_COUNTBACK:
                finishes[row.driver_ref][row.position - 1] += 1
    refs = {r.driver_ref for w in weekends for r in w.race}
    ordered = sorted(refs, key=lambda ref: (-points[ref], [-n for n in finishes[ref]], ref))
    return {ref: (float(points[ref]), i) for i, ref in enumerate(ordered, start=1)}


async def league_table(league_id: int | None, conn: asyncpg.Connection | None) -> ScoringTable:
    """The league's scoring table (the default table without a league)."""
    if league_id is None:
        return ScoringTable()
    found, settings = await queries.league_settings(league_id, conn)
    if not found:
        raise NotFound(f"League {league_id} not found.")
    return league_scoring(settings)[0]


async def driver_ranking(
    season: int, league_id: int | None = None, conn: asyncpg.Connection | None = None
) -> list[RankedDriver]:
    """Every driver of the season, best first, under the league's scoring (or the default).
    Pass ``conn`` when calling inside a transaction: its connection is used throughout."""
    return await table_ranking(season, await league_table(league_id, conn), conn)


async def table_ranking(
    season: int, table: ScoringTable, conn: asyncpg.Connection | None = None
) -> list[RankedDriver]:
    """Every driver of the season, best first, under ``table`` (leagues sharing a table
    share the ranking: most use the default scoring)."""
    weekends = await season_classifications(season, conn)
    fantasy: dict[str, Decimal] = defaultdict(Decimal)
    races: dict[str, int] = defaultdict(int)
    for weekend in weekends:
        for ref, pts in driver_weekend_points(weekend, table).items():
            fantasy[ref] += round_points(pts.total)
        for row in weekend.race:
            races[row.driver_ref] += 1
    championship = _championship(weekends)
    drivers = await queries.season_drivers(season, sorted(fantasy.keys() | races.keys()), conn)
    ranked = [
        RankedDriver(
            driver_id=d.id,
            driver_ref=d.ref,
            code=d.code,
            name=d.name,
            fantasy_points=float(fantasy.get(d.ref, Decimal(0))),
            races=races.get(d.ref, 0),
            championship_points=championship.get(d.ref, (0.0, 0))[0],
            championship_position=championship[d.ref][1] if d.ref in championship else None,
            car_number=d.number,
        )
        for d in drivers
    ]
    return sorted(ranked, key=lambda r: ranking_key(r.ranking_row()))


async def ranking_ids(
    season: int, league_id: int | None = None, conn: asyncpg.Connection | None = None
) -> tuple[int, ...]:
    """Driver ids best first (what autopick's ``choose_driver`` takes as ``ranking``)."""
    return tuple(r.driver_id for r in await driver_ranking(season, league_id, conn))

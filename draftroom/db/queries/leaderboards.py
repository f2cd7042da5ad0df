"""Queries behind the leaderboards: every scored team of a season or of one race."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from draftroom.db.engine import pool

_LEAGUES = """
SELECT l.id, l.settings FROM league l WHERE l.id IN (
  SELECT DISTINCT s.league FROM team_race_score s JOIN race r ON r.id = s.race WHERE {where}
)
"""
# Leagues with the default scoring: their stored scores are the board's, summed in SQL.
_TOTALS = """
SELECT team, sum(points) AS points, max(points) AS best, count(*) AS races FROM (
  SELECT DISTINCT ON (s.team, s.race) s.team, s.points
  FROM team_race_score s JOIN race r ON r.id = s.race
  WHERE {where} AND r.status <> 'cancelled' AND s.league <> ALL($2::int[])
  ORDER BY s.team, s.race, s.revision DESC
) latest GROUP BY team
"""
# Leagues that score otherwise: each race's line-up, to recompute under the defaults.
_SCORES = """
SELECT DISTINCT ON (s.team, s.race) s.team, s.race, s.points, s.captain_driver, s.drivers
FROM team_race_score s JOIN race r ON r.id = s.race
WHERE {where} AND r.status <> 'cancelled' AND s.league = ANY($2::int[])
ORDER BY s.team, s.race, s.revision DESC
"""
_TEAMS = """
SELECT t.id, t.name, t."user" AS user_id, l.id AS league_id, l.name AS league_name,
       l.is_private, l.settings
FROM team t JOIN league l ON l.id = t.league WHERE t.id = ANY($1::int[])
"""
_DEFAULT_POINTS = """
SELECT DISTINCT ON (rr.race, ds.driver) rr.race, ds.driver, ds.points
FROM driver_score ds JOIN result_revision rr ON rr.id = ds.revision
WHERE rr.race = ANY($1::int[])
ORDER BY rr.race, ds.driver, rr.revision DESC
"""

_SCOPES = {"season": "r.season = $1", "race": "s.race = $1"}


@dataclass(frozen=True)
class BoardRows:
    """What a board is built from (rows as column mappings)."""

    totals: list[Mapping[str, Any]]
    """Teams of default-scoring leagues: ``team, points, best, races``."""
    scores: list[Mapping[str, Any]]
    """Other leagues' latest race scores: ``team, race, points, captain_driver, drivers``."""
    default_points: dict[int, dict[int, Decimal]]
    """race -> driver -> default weekend points (for the races of ``scores``)."""
    teams: dict[int, Mapping[str, Any]]
    """team id -> ``id, name, user_id, league_id, league_name, is_private, settings``."""


async def board_rows(
    scope: Literal["season", "race"], value: int, adjusted: Callable[[Any], bool]
) -> BoardRows:
    """The rows of the season's (or race's) board on one connection; ``adjusted`` tells
    from a league's stored settings whether it scores otherwise than the defaults."""
    where = _SCOPES[scope]
    async with pool().acquire() as conn:
        leagues = await conn.fetch(_LEAGUES.format(where=where), value)
        adjusted_leagues = [r["id"] for r in leagues if adjusted(r["settings"])]
        totals = await conn.fetch(_TOTALS.format(where=where), value, adjusted_leagues)
        rows = await conn.fetch(_SCORES.format(where=where), value, adjusted_leagues)
        default_points: dict[int, dict[int, Decimal]] = {}
        if rows:
            races = list({r["race"] for r in rows})
            for p in await conn.fetch(_DEFAULT_POINTS, races):
                default_points.setdefault(p["race"], {})[p["driver"]] = p["points"]
        team_ids = [r["team"] for r in totals] + list({r["team"] for r in rows})
        teams = {r["id"]: r for r in await conn.fetch(_TEAMS, team_ids)}
    return BoardRows(totals, rows, default_points, teams)

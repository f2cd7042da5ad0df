"""Queries on team scores: the drafted line-ups of a race and each revision's team scores
(inside the ingestion's transaction)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

_DRAFTS = """
SELECT d.id AS draft_id, d.league AS league_id, l.settings, l.name AS league_name, l.is_demo
FROM draft d JOIN league l ON l.id = d.league
WHERE d.race = $1 AND d.status <> 'cancelled' AND NOT l.is_mock
  AND EXISTS (SELECT 1 FROM pick p WHERE p.draft = d.id)
ORDER BY d.league
"""
_TEAMS = """
SELECT x.draft, t.id AS team_id, t."user" AS user_id, t.name, t.is_bot
FROM (
  SELECT dt.draft, dt.team FROM draft_team dt WHERE dt.draft = ANY($1::int[])
  UNION
  SELECT p.draft, p.team FROM pick p WHERE p.draft = ANY($1::int[])
) x JOIN team t ON t.id = x.team
ORDER BY t.joined_at, t.id
"""
_PICKS = """
SELECT p.draft, p.team, p.driver FROM pick p WHERE p.draft = ANY($1::int[]) ORDER BY p.pick_no
"""
_CAPTAINS = "SELECT team, driver FROM captain WHERE race = $1"
_UPSERT = """
INSERT INTO team_race_score
  (league, team, race, revision, points, captain_driver, drivers, computed_at)
VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)
ON CONFLICT (team, race, revision) DO UPDATE SET
  league = EXCLUDED.league, points = EXCLUDED.points,
  captain_driver = EXCLUDED.captain_driver, drivers = EXCLUDED.drivers,
  computed_at = EXCLUDED.computed_at
"""
_POINTS_BEFORE = """
SELECT DISTINCT ON (team) team, points FROM team_race_score
WHERE race = $1 AND revision < $2 ORDER BY team, revision DESC
"""


@dataclass(frozen=True)
class DraftOfRace:
    """A draft of the race with picks, and its league's stored settings."""

    draft_id: int
    league_id: int
    settings: Any
    league_name: str
    is_demo: bool


@dataclass(frozen=True)
class DraftTeam:
    """A team of one of the race's drafts."""

    draft_id: int
    team_id: int
    user_id: int
    name: str
    is_bot: bool


@dataclass(frozen=True)
class LineupRows:
    """What the line-ups of a race are built from."""

    drafts: list[DraftOfRace]
    picks: dict[tuple[int, int], list[int]]
    """(draft_id, team_id) -> drivers in pick order."""
    captains: dict[int, int]
    """team_id -> named captain for the race."""
    teams: list[DraftTeam]
    """In joining order."""


async def lineup_rows(conn: asyncpg.Connection, race_id: int) -> LineupRows:
    """The race's drafts with picks (league by league), their picks, teams and captains."""
    drafts = [
        DraftOfRace(d["draft_id"], d["league_id"], d["settings"], d["league_name"], d["is_demo"])
        for d in await conn.fetch(_DRAFTS, race_id)
    ]
    if not drafts:
        return LineupRows([], {}, {}, [])
    draft_ids = [d.draft_id for d in drafts]
    picks: dict[tuple[int, int], list[int]] = {}
    for row in await conn.fetch(_PICKS, draft_ids):
        picks.setdefault((row["draft"], row["team"]), []).append(row["driver"])
    captains = {r["team"]: r["driver"] for r in await conn.fetch(_CAPTAINS, race_id)}
    teams = [
        DraftTeam(r["draft"], r["team_id"], r["user_id"], r["name"], bool(r["is_bot"]))
        for r in await conn.fetch(_TEAMS, draft_ids)
    ]
    return LineupRows(drafts, picks, captains, teams)


async def write_team_scores(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """Store (or overwrite) team scores ``(league, team, race, revision, points,
    captain_driver, drivers JSON, computed_at)``."""
    await conn.executemany(_UPSERT, rows)


async def points_before(conn: asyncpg.Connection, race_id: int, revision: int) -> dict[int, float]:
    """``{team_id: points}``: each team's latest score of the race before ``revision``."""
    rows = await conn.fetch(_POINTS_BEFORE, race_id, revision)
    return {r["team"]: float(r["points"]) for r in rows}

"""Queries on stored team scores: a league's season matrix, a race's scores, a team's
history (each team's latest revision of each race)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from draftroom.db.convert import jsonb
from draftroom.db.engine import pool

_SCORES_OF_SEASON = """
SELECT DISTINCT ON (s.team, s.race) s.team, s.race, r.round, s.points
FROM team_race_score s JOIN race r ON r.id = s.race
WHERE s.league = $1 AND r.season = $2 AND r.status <> 'cancelled'
ORDER BY s.team, s.race, s.revision DESC
"""
_TEAMS = 'SELECT id, name, "user" AS user_id FROM team WHERE league = $1 ORDER BY joined_at, id'
_RACE_SCORES = """
SELECT DISTINCT ON (s.team) s.team, t.name, s.points, s.captain_driver, s.drivers, s.revision
FROM team_race_score s JOIN team t ON t.id = s.team
WHERE s.league = $1 AND s.race = $2
ORDER BY s.team, s.revision DESC
"""
_HISTORY_SCORES = """
SELECT DISTINCT ON (s.race) s.race, s.revision, s.points, s.captain_driver, s.drivers
FROM team_race_score s WHERE s.team = $1
ORDER BY s.race, s.revision DESC
"""
_HISTORY_PICKS = """
SELECT d.race, p.driver FROM pick p JOIN draft d ON d.id = p.draft
WHERE p.team = $1 AND d.status <> 'cancelled' ORDER BY d.race, p.pick_no
"""


@dataclass(frozen=True)
class RaceScore:
    """A team's latest score of one race (``drivers`` decoded)."""

    team_id: int
    race_id: int
    round: int
    points: float
    revision: int = 0
    captain_driver_id: int | None = None
    drivers: Any = None
    team_name: str = ""


@dataclass(frozen=True)
class TeamRow:
    """A team of a league."""

    id: int
    name: str
    user_id: int | None


@dataclass(frozen=True)
class RaceRow:
    """A race as a team's history names it."""

    id: int
    round: int
    name: str
    status: str


@dataclass(frozen=True)
class TeamHistory:
    """What a team's history is built from."""

    scores: dict[int, RaceScore]
    picks: dict[int, list[int]]
    races: list[RaceRow]
    captains: dict[int, int]


async def season_scores(league_id: int, season: int) -> list[RaceScore]:
    """Each team's latest score of each race of the season (cancelled races excluded)."""
    rows = await pool().fetch(_SCORES_OF_SEASON, league_id, season)
    return [RaceScore(r["team"], r["race"], r["round"], float(r["points"])) for r in rows]


async def league_season(league_id: int) -> int | None:
    """The league's season (None when the league is unknown)."""
    season = await pool().fetchval("SELECT season FROM league WHERE id = $1", league_id)
    return None if season is None else int(season)


async def league_teams(league_id: int) -> list[TeamRow]:
    """The league's teams in joining order."""
    return [
        TeamRow(t["id"], t["name"], t["user_id"]) for t in await pool().fetch(_TEAMS, league_id)
    ]


async def race_scores(league_id: int, race_id: int) -> list[RaceScore] | None:
    """Each team's latest score of the race; None when the race is unknown."""
    async with pool().acquire() as conn:
        if not await conn.fetchval("SELECT 1 FROM race WHERE id = $1", race_id):
            return None
        rows = await conn.fetch(_RACE_SCORES, league_id, race_id)
    return [
        RaceScore(
            team_id=r["team"],
            race_id=race_id,
            round=0,
            points=float(r["points"]),
            revision=r["revision"],
            captain_driver_id=r["captain_driver"],
            drivers=jsonb(r["drivers"]),
            team_name=r["name"],
        )
        for r in rows
    ]


async def team_league(team_id: int) -> int | None:
    """The league of a team (None when the team is unknown)."""
    league_id = await pool().fetchval("SELECT league FROM team WHERE id = $1", team_id)
    return None if league_id is None else int(league_id)


async def team_history(team_id: int) -> TeamHistory:
    """The team's latest score per race, its picks per race (pick order), those races and
    its named captains, read on one connection."""
    async with pool().acquire() as conn:
        scores = {
            r["race"]: RaceScore(
                team_id=team_id,
                race_id=r["race"],
                round=0,
                points=float(r["points"]),
                revision=r["revision"],
                captain_driver_id=r["captain_driver"],
                drivers=jsonb(r["drivers"]),
            )
            for r in await conn.fetch(_HISTORY_SCORES, team_id)
        }
        picks: dict[int, list[int]] = {}
        for row in await conn.fetch(_HISTORY_PICKS, team_id):
            picks.setdefault(row["race"], []).append(row["driver"])
        race_ids = sorted(scores.keys() | picks.keys())
        races = await conn.fetch(
            "SELECT id, round, name, status FROM race WHERE id = ANY($1::int[])", race_ids
        )
        captains = {
            r["race"]: r["driver"]
            for r in await conn.fetch("SELECT race, driver FROM captain WHERE team = $1", team_id)
        }
    return TeamHistory(
        scores,
        picks,
        [RaceRow(r["id"], r["round"], r["name"], r["status"]) for r in races],
        captains,
    )

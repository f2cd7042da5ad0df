"""League standings, a race's team scores, and a team's history (read side of scoring).

Every view uses each team's latest stored score of each race (the latest revision).
Standings are cached in Redis per league/season/revision (see
:mod:`draftroom.services.results_cache`); the ranking itself is redone on every read from
the cached per-race scores and the league's current teams (cheap), so a team that joined
or was renamed shows at once. Access control is the caller's (HTTP layer) job.
"""

from __future__ import annotations

import json
from typing import Any

from draftroom.db.engine import pool
from draftroom.domain.standings import league_standings
from draftroom.errors import NotFound
from draftroom.services import results_cache
from draftroom.services.notifier import league_namespace
from draftroom.services.results_cache import Cached
from draftroom.services.runtime import Runtime

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


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def race_score_matrix(league_id: int, season: int) -> list[dict[str, Any]]:
    """``[{race_id, round, scores: {team_id: points}}]`` in round order (JSON-ready)."""
    async with pool().acquire() as conn:
        rows = await conn.fetch(_SCORES_OF_SEASON, league_id, season)
    races: dict[int, dict[str, Any]] = {}
    for row in rows:
        race = races.setdefault(
            row["race"], {"race_id": row["race"], "round": row["round"], "scores": {}}
        )
        race["scores"][str(row["team"])] = float(row["points"])
    return sorted(races.values(), key=lambda r: (r["round"], r["race_id"]))


async def _league_season(league_id: int) -> int:
    async with pool().acquire() as conn:
        season = await conn.fetchval("SELECT season FROM league WHERE id = $1", league_id)
    if season is None:
        raise NotFound(f"League {league_id} not found.")
    return int(season)


async def standings(rt: Runtime, league_id: int) -> Cached:
    """The league table ``[{rank, team_id, team_name, user_id, points, races, wins,
    last_race_points}]`` with its ETag."""
    season = await _league_season(league_id)
    rev = await results_cache.counter(rt.redis, results_cache.league_rev_key(league_id))
    key = results_cache.standings_key(league_id, season, rev)
    matrix = (
        await results_cache.cached(rt.redis, key, lambda: race_score_matrix(league_id, season))
    ).value
    async with pool().acquire() as conn:
        teams = await conn.fetch(_TEAMS, league_id)
    info = {t["id"]: t for t in teams}
    race_scores = [{int(k): v for k, v in race["scores"].items()} for race in matrix]
    rows = [
        {
            "rank": row.rank,
            "team_id": row.team_id,
            "team_name": info[row.team_id]["name"],
            "user_id": info[row.team_id]["user_id"],
            "points": row.points,
            "races": row.races,
            "wins": row.wins,
            "last_race_points": row.last_race_points,
        }
        for row in league_standings(race_scores, [t["id"] for t in teams])
    ]
    return Cached(rows, results_cache.etag_of(rows))


async def push_standings(rt: Runtime, league_id: int, race_id: int, revision: int | None) -> None:
    """Emit ``standings`` ``{league_id, race_id, revision, standings: [...]}`` to the league."""
    table = await standings(rt, league_id)
    await rt.notifier.emit(
        "standings",
        {
            "league_id": league_id,
            "race_id": race_id,
            "revision": revision,
            "standings": table.value,
        },
        namespace=league_namespace(league_id),
    )


async def race_scores(league_id: int, race_id: int) -> Cached:
    """``[{team_id, team_name, points, captain_driver_id, revision, drivers: [{driver_id,
    fantasy_points, captain, points}]}]`` of one race, best first; NotFound for a bad race."""
    async with pool().acquire() as conn:
        if not await conn.fetchval("SELECT 1 FROM race WHERE id = $1", race_id):
            raise NotFound(f"Race {race_id} not found.")
        rows = await conn.fetch(_RACE_SCORES, league_id, race_id)
    out = [
        {
            "team_id": r["team"],
            "team_name": r["name"],
            "points": float(r["points"]),
            "captain_driver_id": r["captain_driver"],
            "revision": r["revision"],
            "drivers": _json(r["drivers"]),
        }
        for r in rows
    ]
    out.sort(key=lambda r: (-r["points"], r["team_name"].casefold(), r["team_id"]))
    return Cached(out, results_cache.etag_of(out))


async def team_league_id(team_id: int) -> int:
    """The league of a team; NotFound when the team does not exist."""
    async with pool().acquire() as conn:
        league_id = await conn.fetchval("SELECT league FROM team WHERE id = $1", team_id)
    if league_id is None:
        raise NotFound(f"Team {team_id} not found.")
    return int(league_id)


async def team_history(team_id: int) -> list[dict[str, Any]]:
    """Per race the team drafted for: ``{race_id, round, race_name, race_status, revision,
    points, captain_driver_id, drivers}`` in round order (points null until scored)."""
    async with pool().acquire() as conn:
        scores = {r["race"]: r for r in await conn.fetch(_HISTORY_SCORES, team_id)}
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
    out: list[dict[str, Any]] = []
    for race in sorted(races, key=lambda r: (r["round"], r["id"])):
        score = scores.get(race["id"])
        entry: dict[str, Any] = {
            "race_id": race["id"],
            "round": race["round"],
            "race_name": race["name"],
            "race_status": race["status"],
        }
        if score is not None:
            entry |= {
                "revision": score["revision"],
                "points": float(score["points"]),
                "captain_driver_id": score["captain_driver"],
                "drivers": _json(score["drivers"]),
            }
        else:
            drafted = picks.get(race["id"], [])
            named = captains.get(race["id"])
            captain = named if named in drafted else (drafted[0] if drafted else None)
            entry |= {
                "revision": None,
                "points": None,
                "captain_driver_id": captain,
                "drivers": [
                    {
                        "driver_id": d,
                        "fantasy_points": None,
                        "captain": d == captain,
                        "points": None,
                    }
                    for d in drafted
                ],
            }
        out.append(entry)
    return out

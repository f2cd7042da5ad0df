"""League standings, a race's team scores, and a team's history (read side of scoring).

Every view uses each team's latest stored score of each race (the latest revision).
Standings are cached in Redis per league/season/revision (see
:mod:`draftroom.services.results.cache`); the ranking itself is redone on every read from
the cached per-race scores and the league's current teams (cheap), so a team that joined
or was renamed shows at once. Access control is the caller's (HTTP layer) job.
"""

from __future__ import annotations

from typing import Any

from draftroom.contracts.standings import HistoryEntry
from draftroom.db.queries import standings as queries
from draftroom.domain.standings import league_standings
from draftroom.errors import NotFound
from draftroom.services.notifier import league_namespace
from draftroom.services.results import cache as results_cache
from draftroom.services.results.cache import Cached
from draftroom.services.runtime import Runtime


async def race_score_matrix(league_id: int, season: int) -> list[dict[str, Any]]:
    """``[{race_id, round, scores: {team_id: points}}]`` in round order (JSON-ready)."""
    races: dict[int, dict[str, Any]] = {}
    for row in await queries.season_scores(league_id, season):
        race = races.setdefault(
            row.race_id, {"race_id": row.race_id, "round": row.round, "scores": {}}
        )
        race["scores"][str(row.team_id)] = row.points
    return sorted(races.values(), key=lambda r: (r["round"], r["race_id"]))


async def _league_season(league_id: int) -> int:
    season = await queries.league_season(league_id)
    if season is None:
        raise NotFound(f"League {league_id} not found.")
    return season


async def standings(rt: Runtime, league_id: int) -> Cached:
    """The league table ``[{rank, team_id, team_name, user_id, points, races, wins,
    last_race_points}]`` with its ETag."""
    season = await _league_season(league_id)
    rev = await results_cache.counter(rt.redis, results_cache.league_rev_key(league_id))
    key = results_cache.standings_key(league_id, season, rev)
    matrix = (
        await results_cache.cached(rt.redis, key, lambda: race_score_matrix(league_id, season))
    ).value
    teams = await queries.league_teams(league_id)
    info = {t.id: t for t in teams}
    race_scores = [{int(k): v for k, v in race["scores"].items()} for race in matrix]
    rows = [
        {
            "rank": row.rank,
            "team_id": row.team_id,
            "team_name": info[row.team_id].name,
            "user_id": info[row.team_id].user_id,
            "points": row.points,
            "races": row.races,
            "wins": row.wins,
            "last_race_points": row.last_race_points,
        }
        for row in league_standings(race_scores, [t.id for t in teams])
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
    rows = await queries.race_scores(league_id, race_id)
    if rows is None:
        raise NotFound(f"Race {race_id} not found.")
    out = [
        {
            "team_id": r.team_id,
            "team_name": r.team_name,
            "points": r.points,
            "captain_driver_id": r.captain_driver_id,
            "revision": r.revision,
            "drivers": r.drivers,
        }
        for r in rows
    ]
    out.sort(key=lambda r: (-r["points"], r["team_name"].casefold(), r["team_id"]))
    return Cached(out, results_cache.etag_of(out))


async def team_league_id(team_id: int) -> int:
    """The league of a team; NotFound when the team does not exist."""
    league_id = await queries.team_league(team_id)
    if league_id is None:
        raise NotFound(f"Team {team_id} not found.")
    return league_id


async def team_history(team_id: int) -> list[HistoryEntry]:
    """Per race the team drafted for: ``{race_id, round, race_name, race_status, revision,
    points, captain_driver_id, drivers}`` in round order (points null until scored)."""
    found = await queries.team_history(team_id)
    out: list[HistoryEntry] = []
    for race in sorted(found.races, key=lambda r: (r.round, r.id)):
        score = found.scores.get(race.id)
        if score is not None:
            revision, points = score.revision, score.points
            captain, drivers = score.captain_driver_id, score.drivers
        else:
            drafted = found.picks.get(race.id, [])
            named = found.captains.get(race.id)
            captain = named if named in drafted else (drafted[0] if drafted else None)
            revision, points = None, None
            drivers = [
                {"driver_id": d, "fantasy_points": None, "captain": d == captain, "points": None}
                for d in drafted
            ]
        out.append(
            {
                "race_id": race.id,
                "round": race.round,
                "race_name": race.name,
                "race_status": race.status,
                "revision": revision,
                "points": points,
                "captain_driver_id": captain,
                "drivers": drivers,
            }
        )
    return out

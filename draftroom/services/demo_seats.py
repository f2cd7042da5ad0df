"""Seats in the demo league: every visitor who joins with a demo league's code gets a team.

A free seat is taken first; else the visitor takes over a bot's team (the newest bot team
that is not the commissioner's): it becomes the visitor's, named as the visitor asked, and
stops being a bot (its picks so far stay). The other seats keep their bots. When a demo
league has neither, the visitor is seated in the newest demo league of the season that has
a seat, or in a new public demo league opened for them (listed first among public leagues).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from draftroom.contracts.leagues import TeamOut
from draftroom.db.queries import leagues as queries
from draftroom.errors import Conflict
from draftroom.services.membership import add_team, clean_team_name, team_name_key, team_out
from draftroom.services.seed import create_demo_league


async def _take_bot_team(
    league: dict[str, Any], user_id: int, team_name: str, now: datetime
) -> TeamOut | None:
    """Hand the newest non-commissioner bot team of ``league`` to ``user_id`` (None: none)."""
    bot = await queries.newest_bot_team(league["id"], league["commissioner"])
    if bot is None:
        return None
    name = clean_team_name(team_name)
    key = team_name_key(name)
    if await queries.team_name_taken_by_other(league["id"], key, bot):
        raise Conflict(f"The team name {name!r} is taken in this league.")
    return team_out(await queries.hand_over_team(bot, user_id, name, key, now))


async def seat(league: dict[str, Any], user_id: int, team_name: str, now: datetime) -> TeamOut:
    """Seat ``user_id`` in demo league ``league`` (a locked row with ``id, max_teams,
    commissioner, season``) or a sibling demo league; the team, as the API shows it."""
    if await queries.has_team(league["id"], user_id):
        raise Conflict("You already have a team in this league.")
    candidates = [league, *await _other_demo_leagues(league)]
    for candidate in candidates:
        if await queries.has_team(candidate["id"], user_id):
            continue
        if await queries.team_count(candidate["id"]) < candidate["max_teams"]:
            return await add_team(candidate, user_id, team_name, is_bot=False, now=now)
        team = await _take_bot_team(candidate, user_id, team_name, now)
        if team is not None:
            return team
    fresh = await _open_demo_league(int(league["season"]), len(candidates) + 1)
    return await add_team(fresh, user_id, team_name, is_bot=False, now=now)


async def _other_demo_leagues(league: dict[str, Any]) -> list[dict[str, Any]]:
    """The season's other demo leagues, newest first, their rows locked."""
    return await queries.lock_other_demo_leagues(league["season"], league["id"])


async def _open_demo_league(season: int, number: int) -> dict[str, Any]:
    """A new public demo league of bots (the seed's recipe), its row locked."""
    league_id = await create_demo_league(season, number)
    row = await queries.lock_seat_columns(league_id)
    assert row is not None
    return row

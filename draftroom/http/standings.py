"""REST: league standings, a race's team scores, a team's history."""

from __future__ import annotations

from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag

from draftroom.contracts.standings import HistoryEntry, StandingOut, TeamRaceScoreOut
from draftroom.http.caching import etag_response
from draftroom.http.deps import (
    confirmed_admin,
    current_user,
    optional_user,
    require_user,
    runtime,
)
from draftroom.services import standings
from draftroom.services.membership import LeagueAccess, league_access
from draftroom.services.tokens import AuthUser

blueprint = Blueprint("standings", __name__)


async def _access(league_id: int, user: AuthUser | None) -> LeagueAccess:
    user_id = user.user_id if user is not None else None
    return await league_access(league_id, user_id, is_admin=await confirmed_admin(user))


async def _member_access(league_id: int) -> LeagueAccess:
    user = current_user()
    access = await _access(league_id, user)
    access.require_member()
    return access


@blueprint.get("/leagues/<int:league_id>/standings")
@tag(["standings"])
@document_response(list[StandingOut])
async def get_standings(league_id: int) -> Response:
    """The league table (members; anyone for a public league)."""
    user = await optional_user()
    await _access(league_id, user)
    return etag_response(await standings.standings(runtime(), league_id))


@blueprint.get("/leagues/<int:league_id>/races/<int:race_id>/scores")
@require_user
@tag(["standings"])
@document_response(list[TeamRaceScoreOut])
async def get_race_scores(league_id: int, race_id: int) -> Response:
    """Each team's score of a race with per-driver points and captain (members)."""
    await _member_access(league_id)
    return etag_response(await standings.race_scores(league_id, race_id))


@blueprint.get("/teams/<int:team_id>/history")
@require_user
@tag(["standings"])
@document_response(list[HistoryEntry])
async def get_team_history(team_id: int) -> Response:
    """Per race the team drafted for: score, drivers, captain (members of its league)."""
    await _member_access(await standings.team_league_id(team_id))
    return jsonify(await standings.team_history(team_id))

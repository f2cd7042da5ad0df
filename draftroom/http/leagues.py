"""REST: leagues and their teams (SPEC section 2, ``/leagues``)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints
from quart import Blueprint, Response
from quart_schema import (
    document_response,
    tag,
    validate_querystring,
    validate_request,
)

from draftroom.contracts.leagues import (
    EmailPrefsOut,
    InviteCode,
    LeagueDetails,
    LeagueSummary,
    MyLeague,
    TeamOut,
)
from draftroom.http.deps import confirmed_admin, current_user, require_user
from draftroom.http.params import Int32, Page, PerPage
from draftroom.http.responses import json_response
from draftroom.services import email_prefs, leagues, membership

blueprint = Blueprint("leagues", __name__)

LeagueName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
TeamName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]


class CreateLeague(BaseModel):
    name: LeagueName
    is_private: StrictBool
    max_teams: StrictInt = Field(ge=2, le=11)
    team_name: TeamName
    season: StrictInt | None = None
    settings: dict[str, Any] | None = Field(
        default=None, description="SPEC settings; omitted keys take their defaults"
    )


class UpdateLeague(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: LeagueName | None = None
    is_private: StrictBool | None = None
    max_teams: StrictInt | None = Field(default=None, ge=2, le=11)
    settings: dict[str, Any] | None = Field(
        default=None, description="a merge patch: null resets a key, scoring merges by key"
    )


class JoinLeague(BaseModel):
    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=32)]
    team_name: TeamName


class LeagueQuery(BaseModel):
    q: Annotated[str, StringConstraints(max_length=64)] | None = None
    page: Page = 1
    per_page: PerPage = 50
    season: Int32 | None = None


class EmailPrefs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    draft_opens: StrictBool = Field(description="mail me when a draft of this league opens")


@blueprint.post("/leagues")
@require_user
@tag(["leagues"])
@validate_request(CreateLeague)
@document_response(LeagueDetails, 201)
async def create_league(data: CreateLeague) -> Response:
    """Create a league; the creator is its commissioner and gets a team."""
    league = await leagues.create_league(
        current_user().user_id,
        name=data.name,
        is_private=data.is_private,
        max_teams=data.max_teams,
        team_name=data.team_name,
        season=data.season,
        settings=data.settings,
    )
    return json_response(league, 201)


@blueprint.get("/leagues")
@require_user
@tag(["leagues"])
@validate_querystring(LeagueQuery)
@document_response(list[LeagueSummary])
async def list_leagues(query_args: LeagueQuery) -> Response:
    """Public leagues, searchable by name (``q``), newest first; ``X-Total-Count`` header."""
    items, total = await leagues.list_public_leagues(
        query_args.q, page=query_args.page, per_page=query_args.per_page, season=query_args.season
    )
    response = json_response(items)
    response.headers["X-Total-Count"] = str(total)
    return response


@blueprint.get("/leagues/mine")
@require_user
@tag(["leagues"])
@document_response(list[MyLeague])
async def mine() -> Response:
    """The leagues I have a team in."""
    return json_response(await leagues.my_leagues(current_user().user_id))


@blueprint.get("/leagues/<int:league_id>")
@require_user
@tag(["leagues"])
@document_response(LeagueDetails)
async def get_league(league_id: int) -> Response:
    """League details (404 for a private league you are not in)."""
    user = current_user()
    return json_response(
        await leagues.get_league(league_id, user.user_id, is_admin=await confirmed_admin(user))
    )


@blueprint.patch("/leagues/<int:league_id>")
@require_user
@tag(["leagues"])
@validate_request(UpdateLeague)
@document_response(LeagueDetails)
async def update_league(league_id: int, data: UpdateLeague) -> Response:
    """Change name, privacy, size or settings (commissioner)."""
    changes = data.model_dump(exclude_unset=True)
    for key in ("name", "is_private", "max_teams"):
        if key in changes and changes[key] is None:
            del changes[key]
    if "settings" in changes and changes["settings"] is None:
        changes["settings"] = {}
    user = current_user()
    return json_response(
        await leagues.update_league(
            league_id, user.user_id, changes, is_admin=await confirmed_admin(user)
        )
    )


@blueprint.delete("/leagues/<int:league_id>")
@require_user
@tag(["leagues"])
async def delete_league(league_id: int) -> Response:
    """Delete the league and everything in it (commissioner)."""
    user = current_user()
    await leagues.delete_league(league_id, user.user_id, is_admin=await confirmed_admin(user))
    return Response(status=204)


@blueprint.post("/leagues/join")
@require_user
@tag(["leagues"])
@validate_request(JoinLeague)
@document_response(TeamOut, 201)
async def join(data: JoinLeague) -> Response:
    """Join a league by invite code with a new team."""
    team = await membership.join_league(current_user().user_id, data.code, data.team_name)
    return json_response(team, 201)


@blueprint.post("/leagues/<int:league_id>/leave")
@require_user
@tag(["leagues"])
async def leave(league_id: int) -> Response:
    """Leave a league (a lone commissioner leaving deletes it)."""
    user = current_user()
    await membership.leave_league(league_id, user.user_id, is_admin=await confirmed_admin(user))
    return Response(status=204)


@blueprint.post("/leagues/<int:league_id>/code")
@require_user
@tag(["leagues"])
@document_response(InviteCode)
async def new_code(league_id: int) -> Response:
    """Replace the invite code (commissioner); the old code stops working."""
    user = current_user()
    return json_response(
        await leagues.regenerate_code(league_id, user.user_id, is_admin=await confirmed_admin(user))
    )


@blueprint.get("/leagues/<int:league_id>/email-prefs")
@require_user
@tag(["leagues"])
@document_response(EmailPrefsOut)
async def get_email_prefs(league_id: int) -> Response:
    """My e-mail preferences in the league (404 unless I have a team in it)."""
    return json_response(await email_prefs.email_prefs(league_id, current_user().user_id))


@blueprint.put("/leagues/<int:league_id>/email-prefs")
@require_user
@tag(["leagues"])
@validate_request(EmailPrefs)
@document_response(EmailPrefsOut)
async def put_email_prefs(league_id: int, data: EmailPrefs) -> Response:
    """Opt in to (or out of) "draft opens" e-mails for the league; off by default."""
    user = current_user()
    return json_response(
        await email_prefs.set_email_prefs(league_id, user.user_id, data.draft_opens)
    )

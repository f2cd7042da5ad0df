"""REST: the season and race leaderboards across leagues (default scoring)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag, validate_querystring

from draftroom.contracts.leaderboards import LeaderboardRow
from draftroom.errors import NotFound
from draftroom.http.deps import current_user, require_user, runtime
from draftroom.services import leaderboards
from draftroom.services.reference import season_or_current

blueprint = Blueprint("leaderboards", __name__)


class PageQuery(BaseModel):
    page: int = Field(default=1, ge=1, le=1_000_000)
    per_page: int = Field(default=50, ge=1, le=leaderboards.MAX_PER_PAGE)


class SeasonQuery(PageQuery):
    season: int | None = Field(default=None, ge=1950, le=2100)


def _page(rows: list[LeaderboardRow], total: int) -> Response:
    response = jsonify(rows)
    response.headers["X-Total-Count"] = str(total)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@blueprint.get("/leaderboards/season")
@require_user
@tag(["leaderboards"])
@validate_querystring(SeasonQuery)
@document_response(list[LeaderboardRow])
async def season(query_args: SeasonQuery) -> Response:
    """Every team of every public league, plus the caller's own teams, ranked by season
    points under the default scoring; ``page``/``per_page`` (max 200), ``X-Total-Count``."""
    year = await season_or_current(query_args.season)
    if year is None:
        raise NotFound("No season is known yet.")
    rows, total = await leaderboards.season_board(
        runtime(), year, current_user().user_id, query_args.page, query_args.per_page
    )
    return _page(rows, total)


@blueprint.get("/leaderboards/races/<int:race_id>")
@require_user
@tag(["leaderboards"])
@validate_querystring(PageQuery)
@document_response(list[LeaderboardRow])
async def race(race_id: int, query_args: PageQuery) -> Response:
    """The same teams ranked by that race's score under the default scoring."""
    rows, total = await leaderboards.race_board(
        runtime(), race_id, current_user().user_id, query_args.page, query_args.per_page
    )
    return _page(rows, total)

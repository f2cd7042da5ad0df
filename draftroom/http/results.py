"""REST, public: a race's results with fantasy points, the season's driver rankings and
driver statistics."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag, validate_querystring

from draftroom.contracts.results import (
    DriverRankingOut,
    DriverStatsOut,
    RaceResults,
)
from draftroom.errors import NotFound
from draftroom.http.caching import etag_response
from draftroom.http.deps import runtime
from draftroom.http.params import Int32
from draftroom.services import driver_stats, reference
from draftroom.services.results import views

blueprint = Blueprint("results", __name__)


class RankingsQuery(BaseModel):
    season: Int32 | None = Field(default=None, description="default: the current season")


@blueprint.get("/races/<int:race_id>/results")
@tag(["results"])
@document_response(RaceResults)
async def get_race_results(race_id: int) -> Response:
    """The race's latest results revision, each driver with fantasy points (default scoring)."""
    return etag_response(await views.race_results(runtime(), race_id))


@blueprint.get("/drivers/rankings")
@tag(["results"])
@validate_querystring(RankingsQuery)
@document_response(list[DriverRankingOut])
async def get_rankings(query_args: RankingsQuery) -> Response:
    """Drivers by season-to-date fantasy points (default scoring), best first."""
    season = await reference.season_or_current(query_args.season)
    if season is None:
        return jsonify([])
    return etag_response(await views.rankings(runtime(), season))


@blueprint.get("/drivers/stats")
@tag(["results"])
@validate_querystring(RankingsQuery)
@document_response(list[DriverStatsOut])
async def get_season_driver_stats(query_args: RankingsQuery) -> Response:
    """Every driver of the season with his statistics for drafting, in one response."""
    season = await reference.season_or_current(query_args.season)
    if season is None:
        return jsonify([])
    return etag_response(await driver_stats.season_driver_stats(runtime(), season))


@blueprint.get("/drivers/<int:driver_id>/stats")
@tag(["results"])
@validate_querystring(RankingsQuery)
@document_response(DriverStatsOut)
async def get_driver_stats(driver_id: int, query_args: RankingsQuery) -> Response:
    """One driver's season statistics: races started, average finish, podiums, DNFs, DSQs,
    poles, average fantasy points and form (his last 3 weekends' fantasy points)."""
    season = await reference.season_or_current(query_args.season)
    if season is None:
        raise NotFound("No season is loaded.")
    return etag_response(await driver_stats.driver_stats(runtime(), driver_id, season))

"""REST: public F1 reference data (drivers, constructors, races) with HTTP caching.

Every answer carries ``Cache-Control: public, max-age=60`` and a strong ``ETag`` (a hash
of the body); a request whose ``If-None-Match`` matches gets ``304 Not Modified``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel
from quart import Blueprint, Response, request
from quart_schema import document_response, tag, validate_querystring

from draftroom.contracts.reference import ConstructorOut, DriverOut, EntryOut, RaceOut, RaceStatus
from draftroom.http.params import Int32
from draftroom.services import entries, reference

blueprint = Blueprint("reference", __name__)

CACHE_CONTROL = "public, max-age=60"


class SeasonQuery(BaseModel):
    season: Int32 | None = None


class RaceQuery(BaseModel):
    season: Int32 | None = None
    status: RaceStatus | None = None


def etag_of(body: bytes) -> str:
    """The strong ETag of a body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return etag in tags


def cached_json(payload: Any) -> Response:
    """``payload`` as JSON with Cache-Control and ETag, or 304 when the client has it."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = etag_of(body)
    headers = {"Cache-Control": CACHE_CONTROL, "ETag": etag}
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and _matches(if_none_match, etag):
        return Response(b"", status=304, headers=headers)
    return Response(body, status=200, headers=headers, content_type="application/json")


@blueprint.get("/drivers")
@tag(["reference"])
@validate_querystring(SeasonQuery)
@document_response(list[DriverOut])
async def list_drivers(query_args: SeasonQuery) -> Response:
    """Drivers entered in a season (default: the current season)."""
    return cached_json(await reference.list_drivers(query_args.season))


@blueprint.get("/drivers/<int:driver_id>")
@tag(["reference"])
@document_response(DriverOut)
async def get_driver(driver_id: int) -> Response:
    """One driver (current team and status)."""
    return cached_json(await reference.get_driver(driver_id))


@blueprint.get("/constructors")
@tag(["reference"])
@validate_querystring(SeasonQuery)
@document_response(list[ConstructorOut])
async def list_constructors(query_args: SeasonQuery) -> Response:
    """Constructors of a season (default: the current season)."""
    return cached_json(await reference.list_constructors(query_args.season))


@blueprint.get("/constructors/<int:constructor_id>")
@tag(["reference"])
@document_response(ConstructorOut)
async def get_constructor(constructor_id: int) -> Response:
    """One constructor."""
    return cached_json(await reference.get_constructor(constructor_id))


@blueprint.get("/races")
@tag(["reference"])
@validate_querystring(RaceQuery)
@document_response(list[RaceOut])
async def list_races(query_args: RaceQuery) -> Response:
    """Races of a season (default: the current season) by round; ``status`` filters."""
    return cached_json(await reference.list_races(query_args.season, query_args.status))


@blueprint.get("/races/<int:race_id>")
@tag(["reference"])
@document_response(RaceOut)
async def get_race(race_id: int) -> Response:
    """One race weekend (times in ISO 8601 UTC)."""
    return cached_json(await reference.get_race(race_id))


@blueprint.get("/races/<int:race_id>/entries")
@tag(["reference"])
@document_response(list[EntryOut])
async def race_entries(race_id: int) -> Response:
    """The race's entry list: the season's entrants, who is replaced or withdrawn for this
    race, and the substitutes (the draftable pool of the race's drafts)."""
    return cached_json(await entries.race_entries(race_id))

"""REST: ``GET /demo``, the public demo league for visitors who have not signed up.

Public (no token): the landing page shows the demo draft read-only from it and namespace
``/league/{id}`` (which admits a connect without a token for a public demo league).
"""

from __future__ import annotations

from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag

from draftroom.contracts.leagues import LeagueDetails
from draftroom.services import leagues

blueprint = Blueprint("demo", __name__)


@blueprint.get("/demo")
@tag(["leagues"])
@document_response(LeagueDetails)
async def demo_league() -> Response:
    """The demo league to watch (the first demo league of the current season), as
    ``GET /leagues/{id}`` shows it to anyone; 404 when the server runs no demo."""
    return jsonify(await leagues.demo_league())

"""REST: ``GET /demo``, the public demo league for visitors who have not signed up.

Public (no token): the landing page shows the demo draft read-only from it and namespace
``/league/{id}`` (which admits a connect without a token for a public demo league).
"""

from __future__ import annotations

from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag

from draftroom.db.tables import League
from draftroom.errors import NotFound
from draftroom.http.leagues import LeagueDetails
from draftroom.services import leagues

blueprint = Blueprint("demo", __name__)


@blueprint.get("/demo")
@tag(["leagues"])
@document_response(LeagueDetails)
async def demo_league() -> Response:
    """The demo league to watch (the first demo league of the current season), as
    ``GET /leagues/{id}`` shows it to anyone; 404 when the server runs no demo."""
    row = (
        await League.select(League.id)
        .where((League.is_demo.eq(True)) & (League.is_private.eq(False)))
        .order_by(League.season, ascending=False)
        .order_by(League.id)
        .first()
    )
    if row is None:
        raise NotFound("This server runs no demo league.")
    return jsonify(await leagues.get_league(int(row["id"]), None))

"""REST, admins only: run the results poll, or check one race, now."""

from __future__ import annotations

from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag

from draftroom.contracts.admin import CheckReport, PollReport
from draftroom.http.deps import require_admin, runtime
from draftroom.services import polling

blueprint = Blueprint("admin_results", __name__)


@blueprint.post("/admin/results/poll")
@require_admin
@tag(["admin"])
@document_response(PollReport)
async def poll_now() -> Response:
    """Run the hourly results poll now; what it found."""
    return jsonify(await polling.poll(runtime()))


@blueprint.post("/admin/races/<int:race_id>/check")
@require_admin
@tag(["admin"])
@document_response(CheckReport)
async def check_now(race_id: int) -> Response:
    """Re-fetch a race's results now (also a final race); a new revision if they changed."""
    return jsonify(await polling.check_race(runtime(), race_id))

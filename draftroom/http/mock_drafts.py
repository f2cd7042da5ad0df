"""REST: mock drafts, a user's practice drafts against bots (``/mock-drafts``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt
from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag, validate_request

from draftroom.contracts.mock_drafts import MockDraftOut
from draftroom.http.deps import current_user, require_user, runtime
from draftroom.http.params import INT32_MAX
from draftroom.services import mock_drafts

blueprint = Blueprint("mock_drafts", __name__)

Whole = Annotated[StrictInt, Field(ge=-INT32_MAX - 1, le=INT32_MAX)]


class CreateMockDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    race_id: Whole = Field(description="a race of the current season, not cancelled")
    teams: Whole = Field(description="2..11 teams: yours and bots")
    pick_seconds: Whole = Field(description="the pick clock, 5..300 s")
    my_slot: Whole | None = Field(
        default=None, description="your first-round pick, 1..teams (random when absent)"
    )


@blueprint.post("/mock-drafts")
@require_user
@tag(["mock drafts"])
@validate_request(CreateMockDraft)
@document_response(MockDraftOut, 201)
async def create(data: CreateMockDraft) -> Response:
    """Start a practice draft against bots: the same rules, runner and room as a real
    draft; it counts for no standings and is deleted a day after it ends. At most 3
    unfinished mock drafts per user (409 ``mock_draft_limit``)."""
    body = await mock_drafts.create_mock_draft(
        runtime(),
        current_user().user_id,
        race_id=data.race_id,
        teams=data.teams,
        pick_seconds=data.pick_seconds,
        my_slot=data.my_slot,
    )
    response = jsonify(body)
    response.status_code = 201
    return response


@blueprint.get("/mock-drafts")
@require_user
@tag(["mock drafts"])
@document_response(list[MockDraftOut])
async def mine() -> Response:
    """My mock drafts, newest first (until housekeeping deletes them)."""
    return jsonify(await mock_drafts.list_mine(current_user().user_id))

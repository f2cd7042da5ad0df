"""REST: per-race drafts and captains (SPEC section 2), thin over the drafts service.

REST and Socket.IO share :mod:`draftroom.payloads` (the same bodies, bounds and
``validation_error`` details) and :mod:`draftroom.services.drafts` (the same rules, errors
and events). Times inside draft payloads are milliseconds since the epoch (as on the socket);
the draft list uses ISO 8601.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt
from quart import Blueprint, Response
from quart_schema import document_response, tag, validate_querystring, validate_request

from draftroom.contracts.drafts import (
    CaptainOut,
    DraftEventOut,
    DraftSnapshot,
    DraftSummary,
    PickMade,
    PickOut,
    QueueOut,
)
from draftroom.http.deps import current_user, require_user, runtime
from draftroom.http.params import INT32_MAX
from draftroom.http.responses import json_response
from draftroom.payloads import AutodraftBody, CaptainBody, PickRequest, QueueBody
from draftroom.services.drafts import commands, snapshot
from draftroom.services.drafts.access import require_commissioner, require_watch
from draftroom.services.drafts.creation import create_draft

blueprint = Blueprint("drafts", __name__)


class CreateDraft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    race_id: StrictInt
    opens_at: datetime | None = Field(
        default=None, description="when the draft opens by itself (ISO 8601); null = manual start"
    )


class EventsQuery(BaseModel):
    after_seq: int = Field(default=0, ge=0, le=INT32_MAX)


async def _watch(draft_id: int) -> int:
    user = current_user()
    league_id = await snapshot.draft_league_id(runtime(), draft_id)
    await require_watch(league_id, user.user_id, is_admin=user.is_admin)
    return league_id


@blueprint.post("/leagues/<int:league_id>/drafts")
@require_user
@tag(["drafts"])
@validate_request(CreateDraft)
@document_response(DraftSnapshot, 201)
async def create(league_id: int, data: CreateDraft) -> Response:
    """Create the league's draft of a race (commissioner); its order is computed and stored."""
    user = current_user()
    await require_commissioner(league_id, user.user_id)
    opens_at = data.opens_at
    if opens_at is not None and opens_at.tzinfo is None:
        opens_at = opens_at.replace(tzinfo=UTC)
    draft_id = await create_draft(runtime(), league_id, data.race_id, opens_at=opens_at)
    return json_response(await snapshot.draft_snapshot(runtime(), draft_id, user.user_id), 201)


@blueprint.get("/leagues/<int:league_id>/drafts")
@require_user
@tag(["drafts"])
@document_response(list[DraftSummary])
async def list_drafts(league_id: int) -> Response:
    """The league's drafts, newest first."""
    user = current_user()
    await require_watch(league_id, user.user_id, is_admin=user.is_admin)
    return json_response(await snapshot.list_drafts(league_id))


@blueprint.get("/drafts/<int:draft_id>")
@require_user
@tag(["drafts"])
@document_response(DraftSnapshot)
async def get_draft(draft_id: int) -> Response:
    """The draft snapshot (the ``draft:state`` payload)."""
    await _watch(draft_id)
    rt = runtime()
    return json_response(await snapshot.draft_snapshot(rt, draft_id, current_user().user_id))


@blueprint.get("/drafts/<int:draft_id>/picks")
@require_user
@tag(["drafts"])
@document_response(list[PickOut])
async def get_picks(draft_id: int) -> Response:
    """The picks made, in pick order."""
    await _watch(draft_id)
    return json_response(await snapshot.draft_picks(runtime(), draft_id))


@blueprint.get("/drafts/<int:draft_id>/events")
@require_user
@tag(["drafts"])
@validate_querystring(EventsQuery)
@document_response(list[DraftEventOut])
async def get_events(draft_id: int, query_args: EventsQuery) -> Response:
    """Logged events with seq > ``after_seq`` (at most 1000 per call; page by seq)."""
    await _watch(draft_id)
    return json_response(await snapshot.events_page(runtime(), draft_id, query_args.after_seq))


@blueprint.post("/drafts/<int:draft_id>/picks")
@require_user
@tag(["drafts"])
@validate_request(PickRequest)
@document_response(PickMade, 201)
async def post_pick(draft_id: int, data: PickRequest) -> Response:
    """Pick for my team on the clock (the ``pick`` event); with ``for_team: true`` the
    commissioner picks for the team on the clock (``draft:force_pick``, by="commissioner")."""
    command = commands.force_pick if data.for_team else commands.make_pick
    pick = await command(runtime(), draft_id, current_user().user_id, data.pick_no, data.driver_id)
    return json_response(pick, 201)


@blueprint.put("/drafts/<int:draft_id>/queue")
@require_user
@tag(["drafts"])
@validate_request(QueueBody)
@document_response(QueueOut)
async def put_queue(draft_id: int, data: QueueBody) -> Response:
    """Replace my queue (autopick takes its first available driver)."""
    rt = runtime()
    return json_response(
        await commands.set_queue(rt, draft_id, current_user().user_id, data.driver_ids)
    )


@blueprint.put("/drafts/<int:draft_id>/autodraft")
@require_user
@tag(["drafts"])
@validate_request(AutodraftBody)
@document_response(QueueOut)
async def put_autodraft(draft_id: int, data: AutodraftBody) -> Response:
    """Switch my team's autodraft on or off."""
    rt = runtime()
    return json_response(
        await commands.set_autodraft(rt, draft_id, current_user().user_id, data.enabled)
    )


async def _control(draft_id: int, command: Any) -> Response:
    rt = runtime()
    user_id = current_user().user_id
    await command(rt, draft_id, user_id)
    return json_response(await snapshot.draft_snapshot(rt, draft_id, user_id))


@blueprint.post("/drafts/<int:draft_id>/start")
@require_user
@tag(["drafts"])
@document_response(DraftSnapshot)
async def start_draft(draft_id: int) -> Response:
    """Start a scheduled draft now (commissioner)."""
    return await _control(draft_id, commands.start_draft)


@blueprint.post("/drafts/<int:draft_id>/pause")
@require_user
@tag(["drafts"])
@document_response(DraftSnapshot)
async def pause_draft(draft_id: int) -> Response:
    """Pause: the clock is frozen and the remaining time kept (commissioner)."""
    return await _control(draft_id, commands.pause_draft)


@blueprint.post("/drafts/<int:draft_id>/resume")
@require_user
@tag(["drafts"])
@document_response(DraftSnapshot)
async def resume_draft(draft_id: int) -> Response:
    """Resume: the team on the clock gets its remaining time, at least 10 s (commissioner)."""
    return await _control(draft_id, commands.resume_draft)


@blueprint.post("/drafts/<int:draft_id>/undo")
@require_user
@tag(["drafts"])
@document_response(DraftSnapshot)
async def undo_pick(draft_id: int) -> Response:
    """Take back the last pick; that team is back on a full clock (commissioner)."""
    return await _control(draft_id, commands.undo_pick)


@blueprint.post("/drafts/<int:draft_id>/cancel")
@require_user
@tag(["drafts"])
@document_response(DraftSnapshot)
async def cancel_draft(draft_id: int) -> Response:
    """Cancel a draft that is not complete (commissioner)."""
    return await _control(draft_id, commands.cancel_draft)


@blueprint.put("/teams/<int:team_id>/races/<int:race_id>/captain")
@require_user
@tag(["drafts"])
@validate_request(CaptainBody)
@document_response(CaptainOut)
async def put_captain(team_id: int, race_id: int, data: CaptainBody) -> Response:
    """Name one of the team's drafted drivers captain for the race (owner, until lock)."""
    rt = runtime()
    body = await commands.set_captain(
        rt, race_id, current_user().user_id, data.driver_id, team_id=team_id
    )
    return json_response(body)

"""REST: a draft room's chat history, and deleting a message (the commissioner)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag, validate_querystring

from draftroom.contracts.chat import ChatDeletedOut, ChatMessageOut
from draftroom.http.deps import current_user, require_user, runtime
from draftroom.services import chat

blueprint = Blueprint("chat", __name__)


class ChatQuery(BaseModel):
    before_id: int | None = Field(default=None, ge=1, le=2_147_483_647)
    limit: int = Field(default=chat.HISTORY_LIMIT, ge=1, le=chat.MAX_HISTORY_LIMIT)


@blueprint.get("/drafts/<int:draft_id>/chat")
@require_user
@tag(["drafts"])
@validate_querystring(ChatQuery)
@document_response(list[ChatMessageOut])
async def get_chat(draft_id: int, query_args: ChatQuery) -> Response:
    """Messages newest first (default 50, at most 200); page back with ``before_id`` = the
    last id received. Members; spectators when the league's ``spectator_chat`` is on."""
    user = current_user()
    await chat.require_reader(runtime(), draft_id, user.user_id, is_admin=user.is_admin)
    messages = await chat.history(draft_id, before_id=query_args.before_id, limit=query_args.limit)
    return jsonify(messages)


@blueprint.delete("/drafts/<int:draft_id>/chat/<int:message_id>")
@require_user
@tag(["drafts"])
@document_response(ChatDeletedOut)
async def delete_chat(draft_id: int, message_id: int) -> Response:
    """Delete a message (commissioner): it leaves the history and ``chat:deleted`` is
    broadcast to the room."""
    user = current_user()
    body = await chat.delete(runtime(), draft_id, message_id, user.user_id, is_admin=user.is_admin)
    return jsonify(body)

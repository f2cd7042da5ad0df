"""REST: my notifications (list with unread filter and pagination, mark read)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag, validate_querystring

from draftroom.contracts.notifications import NotificationOut, ReadAll
from draftroom.http.deps import current_user, require_user
from draftroom.http.params import Page, PerPage
from draftroom.services import notifications

blueprint = Blueprint("notifications", __name__)


class NotificationQuery(BaseModel):
    unread: bool | None = Field(default=None, description="true: unread only; false: read only")
    page: Page = 1
    per_page: PerPage = 50


@blueprint.get("/notifications")
@require_user
@tag(["notifications"])
@validate_querystring(NotificationQuery)
@document_response(list[NotificationOut])
async def list_notifications(query_args: NotificationQuery) -> Response:
    """My notifications, newest first; ``X-Total-Count`` header."""
    items, total = await notifications.list_notifications(
        current_user().user_id,
        unread=query_args.unread,
        page=query_args.page,
        per_page=min(query_args.per_page, notifications.MAX_PER_PAGE),
    )
    response = jsonify(items)
    response.headers["X-Total-Count"] = str(total)
    return response


@blueprint.post("/notifications/<int:notification_id>/read")
@require_user
@tag(["notifications"])
@document_response(NotificationOut)
async def mark_read(notification_id: int) -> Response:
    """Mark one notification read."""
    return jsonify(await notifications.mark_read(current_user().user_id, notification_id))


@blueprint.post("/notifications/read-all")
@require_user
@tag(["notifications"])
@document_response(ReadAll)
async def mark_all_read() -> Response:
    """Mark all my notifications read."""
    return jsonify({"marked": await notifications.mark_all_read(current_user().user_id)})

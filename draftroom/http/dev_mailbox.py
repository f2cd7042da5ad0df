"""GET /dev/mailbox (HTML) and /dev/mailbox.json: the outbox, in development only.

Mounted only when ``settings.dev_mailbox`` is on (``make dev`` without SMTP); elsewhere
the paths are 404 like any unknown path. The page is plain escaped HTML (no scripts or
styles), so a mail's text is never interpreted.
"""

from __future__ import annotations

from html import escape
from typing import Any

from quart import Blueprint, Response

from draftroom.services import outbox

blueprint = Blueprint("dev_mailbox", __name__)


@blueprint.get("/dev/mailbox.json")
async def mailbox_json() -> tuple[dict[str, Any], int]:
    """The 50 newest mails, newest first."""
    mails = await outbox.recent()
    for mail in mails:
        for key in ("created_at", "sent_at"):
            mail[key] = mail[key].isoformat() if mail[key] is not None else None
    return {"mails": mails}, 200


@blueprint.get("/dev/mailbox")
async def mailbox_html() -> Response:
    """The 50 newest mails as a page."""
    items = []
    for mail in await outbox.recent():
        items.append(
            "<article>"
            f"<h2>{escape(mail['subject'])}</h2>"
            f"<p>To {escape(mail['to'])}, {escape(mail['created_at'].isoformat())}</p>"
            f"<pre>{escape(mail['body'])}</pre>"
            "</article>"
        )
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>draftroom dev mailbox</title></head><body>"
        "<h1>Development mailbox</h1>"
        + ("".join(items) or "<p>No mail yet.</p>")
        + "</body></html>"
    )
    response = Response(body, content_type="text/html; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response

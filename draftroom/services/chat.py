"""Draft room chat: members send, everyone allowed reads, the commissioner deletes.

Chat is not a draft event: messages have their own ids, no ``seq``, and are not in the
event log. A sent message is stored, then broadcast as ``chat`` through the same fan-out
as draft events, to the room :data:`CHAT_ROOM` of the league's namespace, which holds the
sockets allowed to read it (members, admins, and spectators when the league's
``spectator_chat`` setting is on). A deletion keeps the row (``deleted_at``), leaves it
out of the history and broadcasts ``chat:deleted {id, draft_id}``.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from typing import Any

from draftroom.contracts.chat import ChatDeletedOut, ChatMessageOut
from draftroom.coordination.ratelimit import Rate, RateLimiter
from draftroom.db.queries import chat as queries
from draftroom.errors import Forbidden, NotFound, RateLimited, ValidationFailed
from draftroom.services.drafts import publish, snapshot
from draftroom.services.membership import league_access
from draftroom.services.notifier import Broadcast, Emit, league_namespace
from draftroom.services.runtime import Runtime

CHAT_ROOM = "chat"
MAX_CHARS = 500
HISTORY_LIMIT = 50
MAX_HISTORY_LIMIT = 200
# Per user, across sockets and processes; change here to tune.
CHAT_RATES = (Rate(5, 5), Rate(30, 60))

_ALLOWED_CONTROLS = {"\n", "\t"}


def clean_text(text: str) -> str:
    """``text`` without surrounding blanks; ValidationFailed when it is empty, longer
    than MAX_CHARS or holds control characters other than newline and tab."""
    cleaned = text.strip()
    if not cleaned:
        raise ValidationFailed(
            "Write something first.", details=[{"field": "text", "message": "is empty"}]
        )
    if len(cleaned) > MAX_CHARS:
        raise ValidationFailed(
            f"A message has at most {MAX_CHARS} characters.",
            details=[{"field": "text", "message": f"is longer than {MAX_CHARS} characters"}],
        )
    if any(unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS for c in cleaned):
        raise ValidationFailed(
            "The message holds control characters.",
            details=[{"field": "text", "message": "holds control characters"}],
        )
    return cleaned


def _message(row: dict[str, Any]) -> ChatMessageOut:
    """The ``chat`` payload of a stored row: ``{id, draft_id, user_id, team_id, text, at}``."""
    return {
        "id": row["id"],
        "draft_id": row["draft"],
        "user_id": row["user"],
        "team_id": row["team_id"],
        "text": row["text"],
        "at": int(row["created_at"].timestamp() * 1000),
    }


async def _limit(rt: Runtime, user_id: int) -> None:
    limiter = RateLimiter(rt.redis, prefix="draftroom:chatrate:")
    allowed, retry_s = await limiter.hit_rates(str(user_id), CHAT_RATES)
    if not allowed:
        raise RateLimited(
            "You are sending messages too fast; wait a moment.",
            retry_after=max(1, int(retry_s + 0.999)),
            details={"retry_after_ms": int(retry_s * 1000) + 1},
        )


async def send(
    rt: Runtime, draft_id: int, user_id: int, text: str, *, is_admin: bool = False
) -> ChatMessageOut:
    """Store and broadcast a member's message; the ``chat`` payload.

    Forbidden for users who own no team in the draft's league; ValidationFailed for bad
    text; RateLimited past CHAT_RATES for the user."""
    cleaned = clean_text(text)
    league_id = await snapshot.draft_league_id(rt, draft_id)
    access = await league_access(league_id, user_id, is_admin=is_admin)
    if not access.is_member:
        raise Forbidden("Only members of this league can chat in its draft room.")
    await _limit(rt, user_id)
    row = await queries.insert(
        draft=draft_id,
        user=user_id,
        team_id=access.team_id,
        text=cleaned,
        created_at=datetime.now(UTC),
    )
    message = _message(row)
    await publish.send(
        rt, Broadcast(league_namespace(league_id), (Emit("chat", message, CHAT_ROOM),))
    )
    return message


async def require_reader(
    rt: Runtime, draft_id: int, user_id: int, *, is_admin: bool = False
) -> int:
    """The draft's league id when the user may read its chat; NotFound / Forbidden else."""
    league_id = await snapshot.draft_league_id(rt, draft_id)
    access = await league_access(league_id, user_id, is_admin=is_admin)
    if not access.can_read_chat:
        raise Forbidden("This league's chat is open to its members only.")
    return league_id


async def history(
    draft_id: int, *, before_id: int | None = None, limit: int = HISTORY_LIMIT
) -> list[ChatMessageOut]:
    """Messages of a draft that are not deleted, newest first, ids below ``before_id``."""
    return [_message(row) for row in await queries.history(draft_id, before_id, limit)]


async def delete(
    rt: Runtime, draft_id: int, message_id: int, user_id: int, *, is_admin: bool = False
) -> ChatDeletedOut:
    """The commissioner (or an admin) deletes a message; ``chat:deleted {id, draft_id}`` is
    broadcast. NotFound when the draft has no such message left."""
    league_id = await snapshot.draft_league_id(rt, draft_id)
    access = await league_access(league_id, user_id, is_admin=is_admin)
    if not access.can_manage:
        raise Forbidden("Only the commissioner can delete messages.")
    if not await queries.mark_deleted(draft_id, message_id, datetime.now(UTC)):
        raise NotFound("No such message.", details={"id": message_id})
    body: ChatDeletedOut = {"id": message_id, "draft_id": draft_id}
    await publish.send(
        rt, Broadcast(league_namespace(league_id), (Emit("chat:deleted", body, CHAT_ROOM),))
    )
    return body

"""Queries on draft-room chat messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from draftroom.db.tables import ChatMessage


async def insert(**values: Any) -> dict[str, Any]:
    """Store a message; its row."""
    rows = await ChatMessage.insert(ChatMessage(**values)).returning(*ChatMessage.all_columns())
    row: dict[str, Any] = rows[0]
    return row


async def history(draft_id: int, before_id: int | None, limit: int) -> list[dict[str, Any]]:
    """The draft's messages not deleted, newest first, ids below ``before_id``."""
    query = ChatMessage.select(*ChatMessage.all_columns()).where(
        (ChatMessage.draft == draft_id) & ChatMessage.deleted_at.is_null()
    )
    if before_id is not None:
        query = query.where(ChatMessage.id < before_id)
    rows: list[dict[str, Any]] = await query.order_by(ChatMessage.id, ascending=False).limit(limit)
    return rows


async def mark_deleted(draft_id: int, message_id: int, at: datetime) -> bool:
    """Mark the draft's message deleted; False when it has no such message left."""
    rows = (
        await ChatMessage.update({ChatMessage.deleted_at: at})
        .where(
            (ChatMessage.id == message_id)
            & (ChatMessage.draft == draft_id)
            & ChatMessage.deleted_at.is_null()
        )
        .returning(ChatMessage.id)
    )
    return bool(rows)

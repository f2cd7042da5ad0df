"""Draft-room chat (REST history and the ``chat`` / ``chat:deleted`` socket events)."""

from __future__ import annotations

from typing_extensions import TypedDict

from draftroom.contracts.common import EpochMs


class ChatMessageOut(TypedDict):
    id: int
    draft_id: int
    user_id: int
    team_id: int | None
    text: str
    at: EpochMs


class ChatDeletedOut(TypedDict):
    id: int
    draft_id: int


class ChatSent(TypedDict):
    """The ``chat:send`` ack (besides ``ok``)."""

    message: ChatMessageOut

"""In-app notifications (also the ``notification`` socket event)."""

from __future__ import annotations

from typing import Any

from typing_extensions import TypedDict


class NotificationOut(TypedDict):
    id: int
    kind: str
    title: str
    body: str
    data: dict[str, Any]
    read_at: str | None
    created_at: str


class ReadAll(TypedDict):
    marked: int

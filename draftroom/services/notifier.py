"""How services publish real-time events without knowing about Socket.IO.

``socketio.AsyncServer`` and ``socketio.AsyncRedisManager(write_only=True)`` both satisfy
this protocol, so the web process and the taskiq worker publish the same way.
"""

from __future__ import annotations

from typing import Any, Protocol


class Notifier(Protocol):
    """Something that can emit an event to a room of a namespace, in any process."""

    async def emit(
        self,
        event: str,
        data: Any = None,
        *,
        namespace: str | None = None,
        room: str | None = None,
        **kwargs: Any,
    ) -> Any:
        """Send ``event`` with ``data`` to ``room`` (or everyone) of ``namespace``."""


def league_namespace(league_id: int) -> str:
    """The Socket.IO namespace of a league's draft room."""
    return f"/league/{league_id}"


def user_room(user_id: int) -> str:
    """The room of the default namespace that holds every socket of one user."""
    return f"user:{user_id}"


class RecordingNotifier:
    """A Notifier that keeps what it was asked to emit (for service tests)."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, str | None, str | None]] = []

    async def emit(
        self,
        event: str,
        data: Any = None,
        *,
        namespace: str | None = None,
        room: str | None = None,
        **kwargs: Any,
    ) -> None:
        """Record the emission."""
        self.emitted.append((event, data, namespace, room))

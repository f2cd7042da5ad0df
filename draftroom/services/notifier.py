"""How services publish real-time events without knowing about Socket.IO.

A :class:`Broadcast` is everything one change sends: the events of one namespace (a draft
commit's ``draft:pick``, ``draft:turn``...), the draft runner's wake-up, and live pushes to
users' ``/`` sockets. :meth:`Notifier.publish` sends it as one message per channel, in one
Redis round trip (:mod:`draftroom.realtime.fanout`); :meth:`Notifier.emit` is a broadcast
of one event. The web process and the taskiq worker publish the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Emit:
    """One Socket.IO event to a room (None: everyone) of a broadcast's namespace."""

    event: str
    data: Any
    room: str | None = None


@dataclass(frozen=True)
class Wake:
    """A draft runner's wake-up: the draft and, when known, its new clock
    (``seq``, ``status``, ``due_ms``); ``seq`` None means "read the draft again"."""

    draft_id: int
    seq: int | None = None
    status: str = ""
    due_ms: int | None = None


@dataclass(frozen=True)
class Broadcast:
    """What one change publishes: ``emits`` to ``namespace`` (draft events in seq order),
    an optional runner ``wake``, and ``pushes`` ``(user_id, event, data)`` to the users'
    sockets of the default namespace ``/``."""

    namespace: str
    emits: tuple[Emit, ...] = ()
    wake: Wake | None = None
    pushes: tuple[tuple[int, str, Any], ...] = field(default=())

    def draft_seqs(self) -> tuple[int, int, int] | None:
        """``(draft_id, first_seq, last_seq)`` of the draft events carried, else None."""
        seqs = [
            (e.data["draft_id"], e.data["seq"])
            for e in self.emits
            if isinstance(e.data, dict) and "seq" in e.data and "draft_id" in e.data
        ]
        if not seqs:
            return None
        return seqs[0][0], seqs[0][1], seqs[-1][1]


class Notifier(Protocol):
    """Something that publishes to the sockets of every process."""

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

    async def publish(self, broadcast: Broadcast) -> None:
        """Deliver ``broadcast`` locally and to every other process (one Redis round trip)."""


def league_namespace(league_id: int) -> str:
    """The Socket.IO namespace of a league's draft room."""
    return f"/league/{league_id}"


def user_room(user_id: int) -> str:
    """The room of the default namespace that holds every socket of one user."""
    return f"user:{user_id}"


class RecordingNotifier:
    """A Notifier that keeps what it was asked to send (for service tests), and hands
    wake-ups to ``wake_handlers`` in this process (a supervisor under test)."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, str | None, str | None]] = []
        self.broadcasts: list[Broadcast] = []
        self.wake_handlers: list[Callable[[str, Wake], None]] = []

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

    async def publish(self, broadcast: Broadcast) -> None:
        """Record the broadcast and each of its events as an emission."""
        self.broadcasts.append(broadcast)
        if broadcast.wake is not None:
            for handler in self.wake_handlers:
                handler(broadcast.namespace, broadcast.wake)
        for item in broadcast.emits:
            self.emitted.append((item.event, item.data, broadcast.namespace, item.room))
        for user_id, event, data in broadcast.pushes:
            self.emitted.append((event, data, "/", user_room(user_id)))

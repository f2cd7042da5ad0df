"""Draft broadcasts released in ``seq`` order, per draft, whichever path they came by.

Commits of one draft can be published by different processes (or tasks) and reach a
process out of order. :class:`SeqOrderer` releases a batch at once when it continues what
was released (or is the first seen), holds one that arrives after a gap for up to
``hold_ms`` waiting for the missing batch, and never releases a seq twice. A gap that never
fills is released anyway when its time is up: the client sees the hole and ``sync``s.
Pure: no I/O, the caller passes the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(order=True)
class _Held(Generic[T]):
    first: int
    last: int
    since_ms: int
    item: T = field(compare=False)


@dataclass(frozen=True)
class Release(Generic[T]):
    """A batch to deliver; its events with ``seq <= skip_through`` were delivered already."""

    item: T
    skip_through: int


class SeqOrderer(Generic[T]):
    """Per-draft release of ``(first_seq, last_seq)`` batches in order."""

    def __init__(self, hold_ms: int = 250) -> None:
        self.hold_ms = hold_ms
        self.last: dict[int, int] = {}
        self._held: dict[int, list[_Held[T]]] = {}

    def offer(self, draft_id: int, first: int, last: int, item: T, now_ms: int) -> list[Release[T]]:
        """Take a batch; return what can be delivered now, in order."""
        known = self.last.get(draft_id)
        if known is not None and last <= known:
            return []  # everything in it was delivered already
        if known is not None and first > known + 1:
            held = self._held.setdefault(draft_id, [])
            held.append(_Held(first, last, now_ms, item))
            held.sort()
            return []
        self.last[draft_id] = last
        released = [Release(item, -1 if known is None else known)]
        return released + self._drain(draft_id, now_ms, force=False)

    def expire(self, now_ms: int) -> list[Release[T]]:
        """Release batches held longer than ``hold_ms`` (a gap that did not fill)."""
        released: list[Release[T]] = []
        for draft_id in list(self._held):
            held = self._held[draft_id]
            if held and now_ms - held[0].since_ms >= self.hold_ms:
                released += self._drain(draft_id, now_ms, force=True)
        return released

    def pending(self) -> bool:
        """True while a batch is held."""
        return bool(self._held)

    def forget(self, draft_ids: set[int]) -> None:
        """Drop what is known of drafts no longer watched here."""
        for draft_id in draft_ids:
            self.last.pop(draft_id, None)
            self._held.pop(draft_id, None)

    def _drain(self, draft_id: int, now_ms: int, *, force: bool) -> list[Release[T]]:
        held = self._held.get(draft_id)
        released: list[Release[T]] = []
        while held:
            known = self.last.get(draft_id, 0)
            head = held[0]
            if head.last <= known:
                held.pop(0)
                continue
            if head.first > known + 1 and not (force and now_ms - head.since_ms >= self.hold_ms):
                break
            held.pop(0)
            self.last[draft_id] = head.last
            released.append(Release(head.item, known))
        if not held:
            self._held.pop(draft_id, None)
        return released

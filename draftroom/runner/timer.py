"""One shared timer per process for the draft clocks that sleep long (slow drafts).

A heap of ``(due_ms, draft_id)`` on wall-clock milliseconds (the drafts' clock) and a
single event-loop timer handle armed for the earliest entry: no task and no coroutine per
sleeping draft. :meth:`ClockTimer.schedule` replaces a draft's entry (the stale heap entry
is skipped when it surfaces), :meth:`ClockTimer.cancel` drops it. When an entry is due the
timer calls ``fire(draft_id)`` (synchronously, from the event loop).
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import Callable


def wall_ms() -> int:
    """Wall-clock milliseconds since the epoch (as ``commit.now_ms``)."""
    return time.time_ns() // 1_000_000


class ClockTimer:
    """Calls ``fire(draft_id)`` at each scheduled draft's due time (see module doc)."""

    def __init__(self, fire: Callable[[int], None], now: Callable[[], int] = wall_ms) -> None:
        self._fire = fire
        self._now = now
        self._heap: list[tuple[int, int]] = []
        self._due: dict[int, int] = {}
        self._handle: asyncio.TimerHandle | None = None
        self._armed_for: int | None = None

    def __len__(self) -> int:
        return len(self._due)

    def __contains__(self, draft_id: object) -> bool:
        return draft_id in self._due

    def due(self, draft_id: int) -> int | None:
        """When ``draft_id`` fires (None: not scheduled)."""
        return self._due.get(draft_id)

    def schedule(self, draft_id: int, due_ms: int) -> None:
        """Fire ``draft_id`` at ``due_ms`` (replacing its earlier time, if any)."""
        if self._due.get(draft_id) == due_ms:
            return
        self._due[draft_id] = due_ms
        heapq.heappush(self._heap, (due_ms, draft_id))
        if len(self._heap) > 2 * len(self._due) + 64:  # many replaced entries: compact
            self._heap = [(t, d) for d, t in self._due.items()]
            heapq.heapify(self._heap)
        if self._armed_for is None or due_ms < self._armed_for:
            self._arm()

    def cancel(self, draft_id: int) -> None:
        """Forget ``draft_id`` (its heap entry is skipped when it surfaces)."""
        self._due.pop(draft_id, None)
        if not self._due:
            self.close()

    def close(self) -> None:
        """Drop every entry and the loop timer."""
        self._due.clear()
        self._heap.clear()
        if self._handle is not None:
            self._handle.cancel()
        self._handle = self._armed_for = None

    def _arm(self) -> None:
        while self._heap and self._due.get(self._heap[0][1]) != self._heap[0][0]:
            heapq.heappop(self._heap)  # replaced or cancelled
        if self._handle is not None:
            self._handle.cancel()
        self._handle = self._armed_for = None
        if not self._heap:
            return
        due_ms = self._heap[0][0]
        delay_s = max(0.0, (due_ms - self._now() + 1) / 1000)
        self._handle = asyncio.get_running_loop().call_later(delay_s, self._run)
        self._armed_for = due_ms

    def _run(self) -> None:
        self._handle = self._armed_for = None
        now = self._now()
        fired: list[int] = []
        while self._heap and self._heap[0][0] <= now:
            due_ms, draft_id = heapq.heappop(self._heap)
            if self._due.get(draft_id) == due_ms:
                del self._due[draft_id]
                fired.append(draft_id)
        self._arm()
        for draft_id in fired:
            self._fire(draft_id)

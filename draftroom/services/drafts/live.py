"""What one process knows of the drafts it watches, kept current by the broadcasts it
delivers (lila-ws's ``History``, in short): the recent events of each draft, the last
``seq`` seen, a snapshot read versioned by that seq, the presence of each league and each
league's current draft.

A reader trusts it only while the process is subscribed to the league's channel
(``watched``, set by the composition root): then every event of the league passes through
:meth:`LiveDrafts.observe`, in seq order. After a lost subscription :meth:`reset` forgets
everything, and reads fall back to PostgreSQL (:mod:`draftroom.services.drafts.snapshot`).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

from draftroom.services.notifier import Broadcast

RING = 256
"""Recent events kept per draft (a ``sync`` further back reads PostgreSQL)."""
SNAPSHOT_TTL_S = 30.0
"""A cached snapshot read is used at most this long (team names are not broadcast)."""
CURRENT_TTL_S = 5.0
"""How long a league's current draft id is trusted without a status change."""
STATUS_EVENTS = frozenset(
    {"draft:started", "draft:paused", "draft:resumed", "draft:complete", "draft:cancelled"}
)
_LEAGUE_NS = re.compile(r"^/league/([0-9]+)$")


@dataclass
class CachedRead:
    """A snapshot's stored part as read at ``seq`` (a ``Loaded`` plus names and race)."""

    seq: int
    league_id: int
    value: Any
    read_at: float


def _never(league_id: int) -> bool:
    return False


class LiveDrafts:
    """Per-process draft cache fed by delivered broadcasts (see module doc)."""

    def __init__(self, watched: Callable[[int], bool] = _never) -> None:
        self.watched = watched
        self.seq: dict[int, int] = {}
        self._events: dict[int, deque[dict[str, Any]]] = {}
        self._reads: dict[int, CachedRead] = {}
        self._online: dict[int, frozenset[int]] = {}
        self._current: dict[int, tuple[float, int | None]] = {}
        self._drafts_of: dict[int, set[int]] = {}
        self._loading: dict[Hashable, asyncio.Future[Any]] = {}

    async def once(self, key: Hashable, load: Callable[[], Awaitable[Any]]) -> Any:
        """``await load()``, shared by every caller that asks for ``key`` while it runs
        (a reconnect storm reads each league's draft once, not once per socket)."""
        pending = self._loading.get(key)
        if pending is None:
            pending = asyncio.ensure_future(load())
            self._loading[key] = pending
            pending.add_done_callback(lambda _: self._loading.pop(key, None))
        return await asyncio.shield(pending)

    # --- feeding -------------------------------------------------------------------------

    def observe(self, broadcast: Broadcast) -> None:
        """Take what a delivered broadcast says about its league's drafts."""
        match = _LEAGUE_NS.match(broadcast.namespace)
        if match is None:
            return
        league_id = int(match.group(1))
        for item in broadcast.emits:
            data = item.data if isinstance(item.data, dict) else {}
            if item.event == "presence":
                self._online[league_id] = frozenset(data.get("online_team_ids") or ())
            elif item.event == "queue":
                self._reads.pop(int(data.get("draft_id", 0)), None)
            elif item.event == "draft:state":
                self._current.pop(league_id, None)
            elif "seq" in data and "draft_id" in data:
                self._event(league_id, item.event, data)

    def _event(self, league_id: int, event: str, data: dict[str, Any]) -> None:
        draft_id, seq = int(data["draft_id"]), int(data["seq"])
        self._drafts_of.setdefault(league_id, set()).add(draft_id)
        known = self.seq.get(draft_id)
        if known is not None and seq <= known:
            return
        ring = self._events.get(draft_id)
        if ring is None or known is None or seq != known + 1:
            ring = self._events[draft_id] = deque(maxlen=RING)
        ring.append({"seq": seq, "type": event, "data": data, "at": data.get("at")})
        self.seq[draft_id] = seq
        if event in STATUS_EVENTS:
            self._current.pop(league_id, None)

    def reset(self) -> None:
        """Forget everything (the subscription was lost: events may have been missed)."""
        self.seq.clear()
        self._events.clear()
        self._reads.clear()
        self._online.clear()
        self._current.clear()
        self._drafts_of.clear()

    # --- reading -------------------------------------------------------------------------

    def events_after(
        self, draft_id: int, league_id: int, after_seq: int
    ) -> list[dict[str, Any]] | None:
        """Every event after ``after_seq`` when the ring holds them all (none when the
        caller is up to date with the last seq known here), else None."""
        last = self.seq.get(draft_id)
        if last is None or not self.watched(league_id):
            return None
        if after_seq >= last:
            return []
        ring = self._events.get(draft_id)
        if ring is None or ring[0]["seq"] > after_seq + 1:
            return None
        return [e for e in ring if e["seq"] > after_seq]

    def online(self, league_id: int) -> frozenset[int] | None:
        """Teams with an owner in the room, from the last presence broadcast (None: unknown)."""
        if not self.watched(league_id):
            return None
        return self._online.get(league_id)

    def cached_read(self, draft_id: int) -> Any | None:
        """The snapshot read of ``draft_id`` if it is still the draft's latest state."""
        read = self._reads.get(draft_id)
        if read is None:
            return None
        fresh = time.monotonic() - read.read_at < SNAPSHOT_TTL_S
        if fresh and self.watched(read.league_id) and self.seq.get(draft_id) == read.seq:
            return read.value
        self._reads.pop(draft_id, None)
        return None

    def keep_read(self, draft_id: int, league_id: int, seq: int, value: Any) -> None:
        """Remember a snapshot read at ``seq`` (only while the league is watched here)."""
        if not self.watched(league_id):
            return
        self._drafts_of.setdefault(league_id, set()).add(draft_id)
        known = self.seq.setdefault(draft_id, seq)
        if known == seq:
            if len(self._reads) > 50_000:
                self._reads.clear()
            self._reads[draft_id] = CachedRead(seq, league_id, value, time.monotonic())

    def current_draft(self, league_id: int) -> tuple[bool, int | None]:
        """``(known, draft_id)`` of the league's current draft."""
        hit = self._current.get(league_id)
        if hit is None or time.monotonic() > hit[0] or not self.watched(league_id):
            return False, None
        return True, hit[1]

    def keep_current(self, league_id: int, draft_id: int | None) -> None:
        """Remember the league's current draft for a few seconds."""
        if self.watched(league_id):
            self._current[league_id] = (time.monotonic() + CURRENT_TTL_S, draft_id)

    def forget_league(self, league_id: int) -> None:
        """Drop a league no longer watched here (its channel was unsubscribed)."""
        self._online.pop(league_id, None)
        self._current.pop(league_id, None)
        for draft_id in self._drafts_of.pop(league_id, set()):
            self.seq.pop(draft_id, None)
            self._events.pop(draft_id, None)
            self._reads.pop(draft_id, None)

    def forget_channel_namespace(self, namespace: str) -> None:
        """:meth:`forget_league` by namespace (``/league/{id}``; others are ignored)."""
        match = _LEAGUE_NS.match(namespace)
        if match is not None:
            self.forget_league(int(match.group(1)))

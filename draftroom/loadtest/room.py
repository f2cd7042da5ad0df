"""One league's draft room as the load generator sees it: its sockets and what they saw.

Every socket records the draft events it receives (:class:`SockState` bitmaps), fills gaps
with ``sync`` as a browser would, and times each pick from the bot's send (or, for an
autopick, from the turn's deadline) to the last socket of the room receiving ``draft:pick``.
The first arrival of each event in the room (live or through ``sync``) goes to
:meth:`Room._first`, where the bots of :mod:`draftroom.loadtest.bots` act on it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from draftroom.loadtest.spec import DraftSpec, LeagueSpec
from draftroom.loadtest.tracking import (
    MAX_SLOW,
    SLOW_MS,
    Pending,
    SockState,
    Stats,
    has_gap,
    prefix,
    upto,
)
from draftroom.loadtest.wsclient import Sock

GAP_WAIT_S = 0.5


class Room:
    """A league's sockets (team bots first, then spectators) and what each one saw."""

    def __init__(self, spec: LeagueSpec, stats: Stats, *, bare: bool) -> None:
        self.spec = spec
        self.stats = stats
        self.bare = bare
        self.socks: list[Sock] = []
        self.team_socks: dict[int, Sock] = {}
        self.idle = {t.team_id for t in spec.teams if t.idle}
        self.connected = 0
        self.draft_idx = -1
        self.draft: DraftSpec | None = None
        self.processed: dict[int, int] = {}
        self.pending: dict[tuple[int, int], Pending] = {}
        self.deadlines: dict[tuple[int, int], float] = {}
        self.pick_driver: dict[tuple[int, int], int] = {}
        self.acked: list[tuple[int, int, int]] = []
        self.mismatches = 0

    # --- sockets -------------------------------------------------------------------------

    def add_socks(self, count: int, next_port: Callable[[], tuple[str, int]]) -> list[Sock]:
        """New (unopened) sockets: the team bots first, then spectators up to ``count``."""
        new: list[Sock] = []
        if not self.socks:
            for team in self.spec.teams:
                sock = self._sock(team.token, next_port)
                self.team_socks[team.team_id] = sock
                new.append(sock)
        tokens = self.spec.spectator_tokens
        for _ in range(count):
            new.append(self._sock(tokens[len(self.socks) % len(tokens)], next_port))
        return new

    def _sock(self, token: str, next_port: Callable[[], tuple[str, int]]) -> Sock:
        host, port = next_port()
        sock = Sock(
            host,
            port,
            self.spec.namespace,
            token,
            self.on_event,
            self.on_close,
            league=self.spec.league_id,
        )
        sock.tag = SockState(len(self.socks))
        self.socks.append(sock)
        return sock

    def on_open(self, sock: Sock) -> None:
        """A socket connected its namespace."""
        st: SockState = sock.tag
        st.opened += 1
        if st.first_idx < 0:
            st.first_idx = max(self.draft_idx, 0)
        if not st.counted:
            st.counted = True
            self.connected += 1

    def on_close(self, sock: Sock) -> None:
        """A socket's connection ended."""
        st: SockState = sock.tag
        if st.counted:
            st.counted = False
            self.connected -= 1

    def resync(self, sock: Sock, done: Callable[[], None]) -> None:
        """After a reconnection: sync the drafts this socket was following; then ``done``."""
        st: SockState = sock.tag
        drafts = {d for d in (st.last_draft, self.draft.draft_id if self.draft else None) if d}
        if not drafts:
            done()
            return
        left = [len(drafts)]

        def one_done() -> None:
            left[0] -= 1
            if left[0] == 0:
                done()

        for draft_id in drafts:
            self.sync(sock, draft_id, one_done)

    def sync(self, sock: Sock, draft_id: int, done: Callable[[], None] | None = None) -> None:
        """Ask for every event of ``draft_id`` after this socket's contiguous prefix."""
        st: SockState = sock.tag
        after = prefix(st.masks.get(draft_id, 0))

        def on_ack(ack: Any, now: float) -> None:
            if isinstance(ack, dict) and ack.get("ok"):
                for ev in ack.get("events") or ():
                    self._record(sock, draft_id, int(ev["seq"]), ev["type"], ev["data"], now, False)
                state = ack.get("state")
                if isinstance(state, dict):
                    st.masks[draft_id] = st.masks.get(draft_id, 0) | upto(int(state["seq"]))
            else:
                self._error("sync", ack)
            if done is not None:
                done()

        if not sock.emit("sync", {"draft_id": draft_id, "after_seq": after}, on_ack) and done:
            done()

    # --- events --------------------------------------------------------------------------

    def on_event(self, sock: Sock, event: str, data: Any, now: float) -> None:
        """Every event of every socket of the room."""
        self.stats.deliveries += 1
        if type(data) is not dict:
            return
        if event == "draft:state":
            if not self.bare:
                self._state(sock, data)
            return
        seq = data.get("seq")
        if seq is None:
            return
        self._record(sock, data.get("draft_id", 0), seq, event, data, now, True)

    def _state(self, sock: Sock, data: dict[str, Any]) -> None:
        st: SockState = sock.tag
        if st.opened <= 1 and "id" in data:  # first connection: the snapshot is the baseline
            st.masks[data["id"]] = st.masks.get(data["id"], 0) | upto(int(data.get("seq", 0)))

    def _record(
        self, sock: Sock, draft_id: int, seq: int, event: str, data: Any, now: float, live: bool
    ) -> None:
        st: SockState = sock.tag
        bit = 1 << seq
        if live:
            heard = st.live.get(draft_id, 0)
            if heard & bit:
                self.stats.duplicates += 1
                return
            st.live[draft_id] = heard | bit
        mask = st.masks.get(draft_id, 0)
        if mask & bit:
            return
        mask |= bit
        st.masks[draft_id] = mask
        st.last_draft = draft_id
        if event == "draft:pick":
            self._delivered(draft_id, data, now, live)
        if live and not self.bare and (mask & (bit - 2)) != bit - 2 and not st.gap_pending:
            st.gap_pending = True
            asyncio.get_running_loop().call_later(GAP_WAIT_S, self._check_gap, sock)
        seen = self.processed.get(draft_id, 0)
        if not seen & bit:
            self.processed[draft_id] = seen | bit
            self._first(draft_id, event, data)

    def _check_gap(self, sock: Sock) -> None:
        st: SockState = sock.tag
        st.gap_pending = False
        for draft_id, mask in list(st.masks.items()):
            if has_gap(mask) and sock.connected:
                self.stats.gap_syncs += 1
                self.sync(sock, draft_id)

    def _delivered(self, draft_id: int, data: dict[str, Any], now: float, live: bool) -> None:
        key = (draft_id, data["pick_no"])
        driver = int(data.get("driver_id") or 0)
        known = self.pick_driver.setdefault(key, driver)
        if known != driver:
            self.mismatches += 1
        if not live:
            return
        pending = self.pending.get(key)
        if pending is None:
            deadline = self.deadlines.get(key)
            if data.get("by") != "auto" or deadline is None:
                return
            pending = self.pending[key] = Pending(None, self.connected, deadline)
            at = data.get("at")
            if isinstance(at, int | float):
                self.stats.late_server_ms.append(at - deadline)
        pending.got += 1
        if pending.got == 1:
            pending.first = now
        if pending.got >= pending.expected:
            del self.pending[key]
            if pending.sent is not None:
                ms = (now - pending.sent) * 1000
                self.stats.pick_ms.append(ms)
                if ms > SLOW_MS and len(self.stats.slow) < MAX_SLOW:
                    sent_at = time.time() - (time.monotonic() - pending.sent)
                    self.stats.slow.append((sent_at, ms, self.spec.league_id))
                self.stats.first_ms.append((pending.first - pending.sent) * 1000)
            elif pending.deadline_ms is not None:
                self.stats.late_ms.append(time.time() * 1000 - pending.deadline_ms)

    def _first(self, draft_id: int, event: str, data: dict[str, Any]) -> None:
        """The room's first sight of an event (the bots act on it: see ``bots.py``)."""

    def missing(self, final_seq: dict[int, int]) -> list[tuple[Sock, int, int]]:
        """``(socket, draft id, bitmap of missing seqs)`` for every draft started while the
        socket was connected that it does not hold whole (``final_seq``: the stored seqs)."""
        out: list[tuple[Sock, int, int]] = []
        drafts = self.spec.drafts[: self.draft_idx + 1]
        for sock in self.socks:
            st: SockState = sock.tag
            if st.first_idx < 0:
                continue
            for draft in drafts[st.first_idx :]:
                miss = upto(final_seq.get(draft.draft_id, 0)) & ~st.masks.get(draft.draft_id, 0)
                if miss:
                    out.append((sock, draft.draft_id, miss))
        return out

    def _error(self, what: str, ack: Any) -> str | None:
        if isinstance(ack, dict) and ack.get("ok"):
            return None
        error = ack.get("error") if isinstance(ack, dict) else None
        code = str(error.get("code")) if isinstance(error, dict) else "bad_ack"
        self.stats.errors[f"{what}:{code}"] += 1
        return code

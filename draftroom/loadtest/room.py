"""One league's draft room as the load generator drives it: its sockets and its bots.

Every socket records the draft events it receives (:class:`SockState` bitmaps). The first
arrival of each event in the room (from any socket, live or through ``sync``) drives the
bots: ``draft:turn`` puts the team's bot on the clock (it picks at the room's pace unless it
is an idle bot), ``draft:complete`` makes the commissioner start the next draft. A bot's
pick is timed from its send to the last socket of the room receiving ``draft:pick``.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from draftroom.loadtest.spec import DraftSpec, LeagueSpec
from draftroom.loadtest.tracking import Pending, SockState, Stats, has_gap, prefix, upto
from draftroom.loadtest.wsclient import Sock

GAP_WAIT_S = 0.5
STALE_S = 10.0
BARE_CYCLE = 100_000_000


def retry_after(ack: Any) -> float:
    """Seconds to wait after a ``rate_limited`` ack."""
    try:
        return float(ack["error"]["details"]["retry_after_ms"]) / 1000
    except (KeyError, TypeError, ValueError):
        return 1.0


class Room:
    """A league's sockets (team bots first, then spectators) and its draft bots."""

    def __init__(self, spec: LeagueSpec, stats: Stats, *, bare: bool) -> None:
        self.spec = spec
        self.stats = stats
        self.bare = bare
        self.socks: list[Sock] = []
        self.team_socks: dict[int, Sock] = {}
        self.idle = {t.team_id for t in spec.teams if t.idle}
        self.connected = 0
        self.picking = False
        self.started = False
        self.interval = 0.0
        self.next_at = 0.0
        self.draft_idx = -1
        self.draft: DraftSpec | None = None
        self.complete: set[int] = set()
        self.taken: set[int] = set()
        self.on_clock: tuple[int, int] | None = None  # (pick_no, team_id)
        self.scheduled: int | None = None
        self.inflight: tuple[int, int] | None = None  # (pick_no, sending socket's epoch)
        self.start_epoch = 0
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
        sock = Sock(host, port, self.spec.namespace, token, self.on_event, self.on_close)
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
        mask = st.masks.get(draft_id, 0)
        if mask & bit:
            if live:
                self.stats.duplicates += 1
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
        driver = data.get("driver_id")
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
                self.stats.pick_ms.append((now - pending.sent) * 1000)
                self.stats.first_ms.append((pending.first - pending.sent) * 1000)
            elif pending.deadline_ms is not None:
                self.stats.late_ms.append(time.time() * 1000 - pending.deadline_ms)

    def _first(self, draft_id: int, event: str, data: dict[str, Any]) -> None:
        """The room's first sight of an event: drive the bots."""
        if self.draft is None or draft_id != self.draft.draft_id:
            return
        if event == "draft:turn":
            pick_no, team = data["pick_no"], data["team_id"]
            deadline = data.get("deadline")
            if isinstance(deadline, int | float) and team in self.idle:
                self.deadlines[(draft_id, pick_no)] = deadline
            self.on_clock = (pick_no, team)
            if self.picking and team not in self.idle:
                self._schedule(pick_no, team)
        elif event == "draft:pick":
            self.taken.add(data["driver_id"])
            self.stats.picks += 1
            if data.get("by") == "auto":
                self.stats.autopicks += 1
            if self.on_clock is not None and self.on_clock[0] == data["pick_no"]:
                self.on_clock = None
        elif event == "draft:complete":
            self.complete.add(draft_id)
            self.on_clock = None
            if self.picking:
                self._advance()

    # --- bots ----------------------------------------------------------------------------

    def start(self, interval: float) -> None:
        """Pick every ``interval`` seconds at most (0: as fast as the server allows)."""
        self.interval = interval
        self.picking = True
        self.next_at = time.monotonic() + random.random() * interval  # rooms out of phase
        if self.draft is None or self.draft.draft_id in self.complete:
            self._advance()
        elif self.on_clock is not None and self.on_clock[1] not in self.idle:
            self._schedule(*self.on_clock)

    def _advance(self) -> None:
        self.draft_idx += 1
        self.on_clock = self.scheduled = self.inflight = None
        self.taken = set()
        drafts = self.spec.drafts
        if self.bare and drafts:  # the baseline keeps no state: go round the drafts again
            base = drafts[self.draft_idx % len(drafts)]
            cycle = self.draft_idx // len(drafts)
            self.draft = replace(base, draft_id=base.draft_id + cycle * BARE_CYCLE)
        elif self.draft_idx < len(drafts):
            self.draft = drafts[self.draft_idx]
        else:
            self.draft = None
            self.picking = False
            return
        self._send_start()

    def _send_start(self) -> None:
        if self.draft is None:
            return
        sock = self.team_socks[self.spec.commissioner.team_id]
        self.start_epoch = sock.tag.opened
        payload = {"draft_id": self.draft.draft_id, "next_team_id": self.draft.team_at(1)}

        def on_ack(ack: Any, now: float) -> None:
            code = self._error("start", ack)
            if code in ("rate_limited", "service_unavailable", "bad_ack"):
                asyncio.get_running_loop().call_later(retry_after(ack), self._send_start)

        sock.emit("draft:start", payload, on_ack)

    def _schedule(self, pick_no: int, team: int) -> None:
        if self.scheduled == pick_no:
            return
        self.scheduled = pick_no
        now = time.monotonic()
        at = max(now, self.next_at)
        self.next_at = at + self.interval
        asyncio.get_running_loop().call_later(at - now, self._send_pick, pick_no, team)

    def _send_pick(self, pick_no: int, team: int) -> None:
        draft = self.draft
        if not self.picking or draft is None or self.on_clock != (pick_no, team):
            return
        sock = self.team_socks[team]
        driver = next((d for d in self.spec.pool if d not in self.taken), None)
        if not sock.connected or driver is None:
            self.scheduled = None  # the tick retries
            return
        nxt = draft.team_at(pick_no + 1)
        payload = {
            "draft_id": draft.draft_id, "pick_no": pick_no, "driver_id": driver,
            "team_id": team, "round": draft.round_of(pick_no), "seq": 2 * pick_no + 1,
            "next_team_id": nxt,
        }  # fmt: skip
        sent = time.monotonic()
        self.inflight = (pick_no, sock.tag.opened)
        key = (draft.draft_id, pick_no)
        self.pending[key] = Pending(sent, self.connected)

        def on_ack(ack: Any, now: float) -> None:
            self.inflight = None
            if isinstance(ack, dict) and ack.get("ok"):
                self.stats.ack_ms.append((now - sent) * 1000)
                self.acked.append((draft.draft_id, pick_no, driver))
                return
            self.pending.pop(key, None)
            code = self._error("pick", ack)
            if code == "driver_taken":
                self.taken.add(driver)
                self._send_pick(pick_no, team)
            elif code in ("rate_limited", "service_unavailable", "bad_ack"):
                asyncio.get_running_loop().call_later(retry_after(ack), self._retry, pick_no, team)
            # else (pick_taken, not_your_turn...): the events will tell what happened

        sock.emit("pick", payload, on_ack)

    def _retry(self, pick_no: int, team: int) -> None:
        self.scheduled = None
        self._send_pick(pick_no, team)

    def _error(self, what: str, ack: Any) -> str | None:
        if isinstance(ack, dict) and ack.get("ok"):
            return None
        error = ack.get("error") if isinstance(ack, dict) else None
        code = str(error.get("code")) if isinstance(error, dict) else "bad_ack"
        self.stats.errors[f"{what}:{code}"] += 1
        return code

    def tick(self) -> None:
        """Periodic repairs: resend a start or a pick whose socket reconnected before the
        ack came (the ack is lost with the connection), drop timings that never completed."""
        now = time.monotonic()
        draft = self.draft
        if self.picking and draft is not None:
            commissioner = self.team_socks[self.spec.commissioner.team_id]
            if self.on_clock is None and not self.processed.get(draft.draft_id):
                if commissioner.connected and commissioner.tag.opened != self.start_epoch:
                    self._send_start()
            elif self.on_clock is not None and self.on_clock[1] not in self.idle:
                sock = self.team_socks[self.on_clock[1]]
                if self.inflight and sock.connected and sock.tag.opened != self.inflight[1]:
                    self.inflight = self.scheduled = None
                if self.inflight is None and self.scheduled is None:
                    self._schedule(*self.on_clock)
        for key in [k for k, p in self.pending.items() if p.sent and now - p.sent > STALE_S]:
            del self.pending[key]
            self.stats.incomplete += 1

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

    def stop(self, done: Callable[[], None]) -> None:
        """Stop picking and pause the live draft (so no clock runs out); then ``done``."""
        self.picking = False
        draft = self.draft
        sock = self.team_socks.get(self.spec.commissioner.team_id)
        if draft is None or draft.draft_id in self.complete or sock is None or self.bare:
            done()
            return
        if not sock.emit("draft:pause", {"draft_id": draft.draft_id}, lambda a, n: done()):
            done()

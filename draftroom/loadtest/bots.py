"""The bots of a room: the commissioner starts each draft, the team on the clock picks.

They act on the room's first sight of each event: ``draft:turn`` puts a team's bot on the
clock (it picks at the room's pace, unless it is an idle bot whose clock must run out),
``draft:complete`` makes the commissioner start the next prepared draft. Against the bare
baseline, which keeps no state, the pick payload carries what the server should broadcast
(seq, the next team) and the drafts are used round and round.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from draftroom.loadtest.room import Room
from draftroom.loadtest.spec import LeagueSpec
from draftroom.loadtest.tracking import Pending, Stats

STALE_S = 10.0
FIRST_START_SPREAD_S = 5.0
BARE_CYCLE = 100_000_000


def retry_after(ack: Any) -> float:
    """Seconds to wait after a ``rate_limited`` (or unavailable) ack."""
    try:
        return float(ack["error"]["details"]["retry_after_ms"]) / 1000
    except (KeyError, TypeError, ValueError):
        return 1.0


class DraftRoom(Room):
    """A room whose bots draft."""

    def __init__(self, spec: LeagueSpec, stats: Stats, *, bare: bool) -> None:
        super().__init__(spec, stats, bare=bare)
        self.picking = False
        self.started = False
        self.interval = 0.0
        self.last_sent: float | None = None
        self.complete: set[int] = set()
        self.taken: set[int] = set()
        self.on_clock: tuple[int, int] | None = None  # (pick_no, team_id)
        self.scheduled: int | None = None
        self.inflight: tuple[int, int] | None = None  # (pick_no, sending socket's epoch)
        self.start_epoch = 0
        self.gave_up: int | None = None
        self.armed = 0
        self.starting = False

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

    # --- commands ----------------------------------------------------------------------------

    def start(self, interval: float) -> None:
        """Pick every ``interval`` seconds at most (0: as fast as the server allows)."""
        self.interval = interval
        self.picking = True
        now = time.monotonic()
        if self.last_sent is None or self.last_sent + interval < now:
            self.last_sent = now - random.random() * interval  # rooms out of phase
        if self.starting:
            pass
        elif self.draft_idx < 0:  # the first draft: starts spread over one interval (<= 5 s)
            self.starting = True
            delay = random.random() * min(interval, FIRST_START_SPREAD_S)
            asyncio.get_running_loop().call_later(delay, self._first_start)
        elif self.draft is None or self.draft.draft_id in self.complete:
            self._advance()
        elif self.on_clock is not None and self.on_clock[1] not in self.idle:
            if self.scheduled == self.on_clock[0] and self.inflight is None:
                self._arm(*self.on_clock)  # waiting at the old pace: re-arm at the new one
            else:
                self._schedule(*self.on_clock)

    def _first_start(self) -> None:
        self.starting = False
        if self.picking:
            self._advance()

    def _advance(self) -> None:
        self.draft_idx += 1
        self.on_clock = self.scheduled = self.inflight = self.gave_up = None
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
        if self.draft is None or not self.picking:
            return  # stopped meanwhile: a retried start must not start a draft after the stop
        sock = self.team_socks[self.spec.commissioner.team_id]
        self.start_epoch = sock.tag.opened
        payload = {"draft_id": self.draft.draft_id, "next_team_id": self.draft.team_at(1)}

        def on_ack(ack: Any, now: float) -> None:
            code = self._error("start", ack)
            if code in ("rate_limited", "overloaded", "service_unavailable", "bad_ack"):
                asyncio.get_running_loop().call_later(retry_after(ack), self._send_start)

        sock.emit("draft:start", payload, on_ack)

    def _schedule(self, pick_no: int, team: int) -> None:
        if self.scheduled == pick_no:
            return
        self.scheduled = pick_no
        self._arm(pick_no, team)

    def _arm(self, pick_no: int, team: int) -> None:
        """Send the pick when the room's pace allows (a newer arming cancels this one)."""
        self.armed += 1
        token = self.armed
        last = self.last_sent if self.last_sent is not None else 0.0
        wait = max(0.0, last + self.interval - time.monotonic())

        def fire() -> None:
            if token == self.armed:
                self._send_pick(pick_no, team)

        asyncio.get_running_loop().call_later(wait, fire)

    def _send_pick(self, pick_no: int, team: int) -> None:
        draft = self.draft
        if not self.picking or draft is None or self.on_clock != (pick_no, team):
            return
        if pick_no == self.gave_up or (self.inflight and self.inflight[0] == pick_no):
            return  # refused for good, or on its way
        sock = self.team_socks[team]
        driver = next((d for d in self.spec.pool if d not in self.taken), None)
        if not sock.connected or driver is None:
            self.scheduled = None  # the tick retries
            return
        nxt = draft.team_at(pick_no + 1)
        payload = {
            "draft_id": draft.draft_id,
            "pick_no": pick_no,
            "driver_id": driver,
            "team_id": team,
            "round": draft.round_of(pick_no),
            "seq": 2 * pick_no + 1,
            "next_team_id": nxt,
        }
        sent = self.last_sent = time.monotonic()
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
            elif code in ("rate_limited", "overloaded", "service_unavailable", "bad_ack"):
                asyncio.get_running_loop().call_later(retry_after(ack), self._retry, pick_no, team)
            else:  # pick_taken, not_your_turn...: the events will tell what happened
                self.gave_up = pick_no

        sock.emit("pick", payload, on_ack)

    def _retry(self, pick_no: int, team: int) -> None:
        self.scheduled = None
        self._send_pick(pick_no, team)

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

    def stop(self, done: Callable[[], None]) -> None:
        """Stop picking and pause the live draft (so no clock runs out); then ``done``."""
        self.picking = False
        draft = self.draft
        sock = self.team_socks.get(self.spec.commissioner.team_id)
        if draft is None or draft.draft_id in self.complete or sock is None or self.bare:
            done()
            return
        self._send_pause(sock, draft.draft_id, done, tries=20)

    def _send_pause(self, sock: Any, draft_id: int, done: Callable[[], None], tries: int) -> None:
        """Pause the draft; a pause refused ``overloaded`` is retried (else its clock runs on
        after the stop, and the final check would race with it)."""

        def on_ack(ack: Any, now: float) -> None:
            code = self._error("pause", ack)
            if code in ("rate_limited", "overloaded", "service_unavailable") and tries > 1:
                asyncio.get_running_loop().call_later(
                    retry_after(ack), self._send_pause, sock, draft_id, done, tries - 1
                )
                return
            done()

        if not sock.emit("draft:pause", {"draft_id": draft_id}, on_ack):
            done()

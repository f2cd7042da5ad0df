"""The draft runner: the loop that owns a draft's clock, in the process holding its lease.

It reads the draft once, then waits for the next due time (deadline, opens_at, locks_at,
a bot's pick) or a wake-up, and commits the due work through the same commit function as
user picks, with a guard that refuses the write once the lease is lost. Picks themselves
are committed wherever they arrive; their wake-ups carry the draft's new clock
(:mod:`draftroom.services.drafts.wakeups`), so the runner re-arms its timer without reading
the draft again.

A wait longer than PARK_MS (a slow draft's long clock, a paused draft) is not spent in a
task: the runner *parks* (``park(draft_id, due_ms)``): its task ends, the supervisor's one
shared :class:`~draftroom.runner.timer.ClockTimer` runs it again at the due time, and a
wake-up or the supervisor's scan (which sees the draft's ``seq``) runs it again earlier.
A shorter wait is spent in the task, which re-reads the draft's clock row every
MAX_SLEEP_MS as a safety net. With bots (the demo) it never parks and reads the whole draft
each time, as the bots need it. The supervisor renews the leases of all its runners with
one heartbeat (:mod:`draftroom.coordination.holder`) and reports the result to
:meth:`DraftRunner.lease_renewed`. The runner stops (and releases the lease) when the draft
is over, when nothing is left to wait for, or when the lease is lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from draftroom.coordination.holder import HeldLease
from draftroom.db.queries import draft_clocks
from draftroom.db.queries.drafts import Loaded
from draftroom.domain.draft import clock_due_ms
from draftroom.errors import DraftroomError, LockLost, NotFound
from draftroom.runner.bots import BotPlayer
from draftroom.services.drafts.commit import now_ms, run_due
from draftroom.services.drafts.wakeups import DraftClock
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

MAX_SLEEP_MS = 5_000
"""A waiting task re-reads the draft's clock at least this often even without a wake-up."""
PARK_MS = MAX_SLEEP_MS
"""Waits longer than this are left to the supervisor's shared timer (the runner parks)."""
FINISHED = ("complete", "cancelled")

Park = Callable[[int, "int | None"], None]
"""``park(draft_id, due_ms)``: run the draft again at ``due_ms`` (None: only when woken)."""


def lease_key(draft_id: int) -> str:
    """The Redis key whose holder runs the draft."""
    return f"draft:{draft_id}:owner"


async def read_clock(draft_id: int) -> DraftClock:
    """The draft's clock from its row alone (one primary-key read); NotFound if gone."""
    row = await draft_clocks.clock_row(draft_id)
    if row is None:
        raise NotFound("No such draft.", details={"draft_id": draft_id})
    deadline = row.deadline_ms if row.status == "live" else None
    due = clock_due_ms(row.status, deadline, row.opens_ms, row.locks_ms)
    return DraftClock(row.seq, row.status, due)


class DraftRunner:
    """Drives one draft while ``lease`` is held; ``run()`` returns when it stops."""

    def __init__(
        self,
        rt: Runtime,
        draft_id: int,
        lease: HeldLease,
        *,
        bots: BotPlayer | None = None,
        on_exit: Callable[[int], None] | None = None,
        park: Park | None = None,
    ) -> None:
        self.rt = rt
        self.draft_id = draft_id
        self.lease = lease
        self.bots = bots
        self._on_exit = on_exit
        self._park = park
        self.parked = False
        self._wake = asyncio.Event()
        self._reread = True
        self._clock: DraftClock | None = None
        self._lost = False
        self._last_renewed = time.monotonic()
        self.steps = 0

    def wake(self, clock: DraftClock | None = None) -> None:
        """The draft changed somewhere: adopt ``clock`` (unless older than ours), or
        re-read the draft when the sender did not know its clock."""
        if clock is None or self.bots is not None:
            self._reread = True
        elif self._clock is None or clock.seq >= self._clock.seq:
            self._clock = clock
        self._wake.set()

    def lease_renewed(self, owned: bool | None) -> None:
        """The supervisor's renewal result: True renewed, False lost (the process's heartbeat
        lapsed), None Redis unreachable (given up after almost a whole lease: it may have
        lapsed)."""
        now = time.monotonic()
        if owned:
            self._last_renewed = now
            return
        if owned is None and now - self._last_renewed < self.lease.ttl_ms / 1000 * 0.8:
            log.warning("could not renew the lease of draft %s", self.draft_id)
            return
        log.warning("lost the lease of draft %s", self.draft_id)
        self._lost = True
        self._wake.set()

    @property
    def known_seq(self) -> int | None:
        """The seq of the clock the runner last adopted (None before its first read)."""
        return None if self._clock is None else self._clock.seq

    def stale(self, seq: int | None) -> bool:
        """True when the draft's stored ``seq`` (None: the draft no longer needs a clock) says
        the runner's clock is out of date (a wake-up was lost)."""
        if self._clock is None:
            return True
        if seq is None:
            return self._clock.status != "scheduled"
        return seq > self._clock.seq

    @property
    def lost(self) -> bool:
        """True once the lease is known to be lost."""
        return self._lost

    async def _guard(self) -> None:
        if self._lost or not await self.lease.owned():
            self._lost = True
            raise LockLost(details={"draft_id": self.draft_id})

    async def run(self) -> None:
        """Run until the draft is over, the lease is lost (then the lease is released
        unless lost, and ``on_exit`` called) or the runner parks (lease kept)."""
        self.parked = False
        try:
            self.parked = await self._loop()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("runner of draft %s crashed", self.draft_id)
        finally:
            if not self.parked:
                await self.stop()

    async def stop(self) -> None:
        """Give the lease up (unless lost) and tell the supervisor the runner is gone."""
        self.parked = False
        if not self._lost:
            await asyncio.shield(self.lease.release())
        if self._on_exit is not None:
            on_exit, self._on_exit = self._on_exit, None
            on_exit(self.draft_id)

    async def _read(self) -> tuple[DraftClock, Loaded | None]:
        """The clock (and, with bots, the whole draft) as stored now."""
        self._reread = False
        if self.bots is None:
            return await read_clock(self.draft_id), None
        loaded = await draft_clocks.load_for_clock(self.draft_id)
        return DraftClock.of(loaded.state, now_ms()), loaded

    async def _loop(self) -> bool:
        """The runner's work; True when it parked (its wait left to the shared timer)."""
        loaded: Loaded | None = None
        while not self._lost:
            self._wake.clear()
            if self._reread or self._clock is None:
                try:
                    self._clock, loaded = await self._read()
                except NotFound:
                    return False
                except Exception:
                    log.warning("draft %s: could not read the draft", self.draft_id, exc_info=True)
                    await asyncio.sleep(0.5)
                    continue
            clock = self._clock
            if clock.status in FINISHED:
                return False
            now = now_ms()
            bot_at = self.bots.next_pick_at(loaded, now) if self.bots and loaded else None
            if clock.due_ms is not None and clock.due_ms <= now:
                await self._step()
                continue
            if bot_at is not None and bot_at <= now and self.bots is not None and loaded:
                await self.bots.pick(self.rt, loaded)
                self._reread = True
                continue
            times = [t for t in (clock.due_ms, bot_at) if t is not None]
            if not times and clock.status == "scheduled":
                return False  # nothing to wait for: the commissioner starts it
            if self._wake.is_set():
                continue  # woken while reading or stepping
            due = min(times) if times else None
            park = self._park if self.bots is None else None
            if park is not None and (due is None or due > now + PARK_MS):
                park(self.draft_id, due)  # no await since the check: no wake-up missed
                return True
            until = min([*times, now + MAX_SLEEP_MS])
            try:
                async with asyncio.timeout(max(0.0, (until - now + 1) / 1000)):
                    await self._wake.wait()
            except TimeoutError:
                if until - now >= MAX_SLEEP_MS:  # the safety net: nothing heard for a while
                    self._reread = True
        return False

    async def _step(self) -> None:
        try:
            committed = await run_due(self.rt, self.draft_id, guard=self._guard)
            self.steps += 1
        except LockLost:
            log.warning("draft %s: write refused, the lease is lost", self.draft_id)
            return
        except DraftroomError as error:
            log.warning("draft %s: due step refused: %s", self.draft_id, error.code)
            await asyncio.sleep(0.2)
        except Exception:  # PostgreSQL or Redis trouble: retry shortly (renewals decide)
            log.warning("draft %s: due step failed", self.draft_id, exc_info=True)
            await asyncio.sleep(0.5)
        else:
            self.wake(DraftClock.of(committed.transition.state, now_ms()))
            return
        self._reread = True

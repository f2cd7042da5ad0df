"""The draft runner: the one loop that owns a draft's clock, in the process holding its lease.

It reads the draft once, then sleeps until the next due time (deadline, opens_at,
locks_at, a bot's pick) or a wake-up, and commits the due work through the same commit
function as user picks, with a guard that refuses the write once the lease is lost. Picks
themselves are committed wherever they arrive; their wake-ups carry the draft's new clock
(:mod:`draftroom.services.drafts.wakeups`), so the runner re-arms its timer without reading
the draft again, and re-reads only the draft's clock row every MAX_SLEEP_MS as a safety net
(SLOW_SLEEP_MS while a live draft's next due time is far: slow drafts).
With bots (the demo) it reads the whole draft each time, as the bots need it. The
supervisor renews the leases of all its runners in one batch and reports the result to
:meth:`DraftRunner.lease_renewed`. The runner stops when the draft is over, when nothing is
left to wait for, or when the lease is lost.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from draftroom.coordination.lock import OwnerLease
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
"""Re-read the draft's clock at least this often even without a wake-up."""
SLOW_SLEEP_MS = 60_000
"""The same safety net for a live draft whose next due time is over FAR_MS away (a slow
draft's long clock): its changes arrive as wake-ups, so re-reading it every 5 s for a day
would only load the database (5,000 such drafts: 1,000 reads/s; this way 83/s)."""
FAR_MS = 600_000
FINISHED = ("complete", "cancelled")


def safety_net_ms(clock: DraftClock, now: int) -> int:
    """How long a runner waits without a wake-up before it re-reads the draft's clock."""
    if clock.status == "live" and clock.due_ms is not None and clock.due_ms - now > FAR_MS:
        return SLOW_SLEEP_MS
    return MAX_SLEEP_MS


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
        lease: OwnerLease,
        *,
        bots: BotPlayer | None = None,
        on_exit: Callable[[int], None] | None = None,
    ) -> None:
        self.rt = rt
        self.draft_id = draft_id
        self.lease = lease
        self.bots = bots
        self._on_exit = on_exit
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
        """The supervisor's batch renewal result: True renewed, False someone else's,
        None Redis unreachable (given up after almost a whole lease: it may have expired)."""
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
    def lost(self) -> bool:
        """True once the lease is known to be lost."""
        return self._lost

    async def _guard(self) -> None:
        if self._lost or not await self.lease.owned():
            self._lost = True
            raise LockLost(details={"draft_id": self.draft_id})

    async def run(self) -> None:
        """Run until the draft is over or the lease is lost; always releases the lease."""
        try:
            await self._loop()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("runner of draft %s crashed", self.draft_id)
        finally:
            if not self._lost:
                await asyncio.shield(self.lease.release())
            if self._on_exit is not None:
                self._on_exit(self.draft_id)

    async def _read(self) -> tuple[DraftClock, Loaded | None]:
        """The clock (and, with bots, the whole draft) as stored now."""
        self._reread = False
        if self.bots is None:
            return await read_clock(self.draft_id), None
        loaded = await draft_clocks.load_for_clock(self.draft_id)
        return DraftClock.of(loaded.state, now_ms()), loaded

    async def _loop(self) -> None:
        loaded: Loaded | None = None
        while not self._lost:
            self._wake.clear()
            if self._reread or self._clock is None:
                try:
                    self._clock, loaded = await self._read()
                except NotFound:
                    return
                except Exception:
                    log.warning("draft %s: could not read the draft", self.draft_id, exc_info=True)
                    await asyncio.sleep(0.5)
                    continue
            clock = self._clock
            if clock.status in FINISHED:
                return
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
                return  # nothing to wait for: the commissioner starts it
            net = MAX_SLEEP_MS if self.bots else safety_net_ms(clock, now)
            until = min([*times, now + net])
            try:
                async with asyncio.timeout(max(0.0, (until - now + 1) / 1000)):
                    await self._wake.wait()
            except TimeoutError:
                if until - now >= net:  # the safety net: nothing heard for a while
                    self._reread = True

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

"""The draft runner: the one loop that owns a draft's clock, in the process holding its lease.

It re-reads the draft, sleeps until the next due time (deadline, opens_at, locks_at, a
bot's pick) or a wake-up, then commits the due work through the same commit function as
user picks, with a guard that refuses the write once the lease is lost. Picks themselves
are committed wherever they arrive; the runner only owns the clock. It stops when the
draft is over, when nothing is left to wait for, or when the lease is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable

from draftroom.coordination.lock import OwnerLease
from draftroom.domain.draft import next_due_ms
from draftroom.errors import DraftroomError, LockLost, NotFound
from draftroom.runner.bots import BotPlayer
from draftroom.runtime import Runtime
from draftroom.services.drafts import store
from draftroom.services.drafts.commit import now_ms, run_due

log = logging.getLogger(__name__)

MAX_SLEEP_MS = 5_000
"""Re-read the draft at least this often even without a wake-up."""
FINISHED = ("complete", "cancelled")


def lease_key(draft_id: int) -> str:
    """The Redis key whose holder runs the draft."""
    return f"draft:{draft_id}:owner"


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
        self._lost = False
        self.steps = 0

    def wake(self) -> None:
        """Re-read the draft now (it changed somewhere)."""
        self._wake.set()

    async def _guard(self) -> None:
        if self._lost or not await self.lease.owned():
            self._lost = True
            raise LockLost(details={"draft_id": self.draft_id})

    async def _keep_lease(self) -> None:
        """Renew every ttl/3; give up when the lease is someone else's, or when Redis has
        been unreachable for almost a whole lease (it may have expired meanwhile)."""
        ttl_s = self.lease.ttl_ms / 1000
        last_ok = time.monotonic()
        while True:
            await asyncio.sleep(ttl_s / 3)
            try:
                owned = await self.lease.renew()
            except Exception:
                owned = time.monotonic() - last_ok < ttl_s * 0.8
                log.warning("could not renew the lease of draft %s", self.draft_id)
            else:
                last_ok = time.monotonic()
            if not owned:
                log.warning("lost the lease of draft %s", self.draft_id)
                self._lost = True
                self._wake.set()
                return

    async def run(self) -> None:
        """Run until the draft is over or the lease is lost; always releases the lease."""
        keeper = asyncio.create_task(self._keep_lease())
        try:
            await self._loop()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("runner of draft %s crashed", self.draft_id)
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            if not self._lost:
                await asyncio.shield(self.lease.release())
            if self._on_exit is not None:
                self._on_exit(self.draft_id)

    async def _loop(self) -> None:
        while not self._lost:
            self._wake.clear()
            try:
                async with store.pool().acquire() as conn:
                    loaded = await store.load(conn, self.draft_id, for_update=False)
            except NotFound:
                return
            except Exception:
                log.warning("draft %s: could not read the draft", self.draft_id, exc_info=True)
                await asyncio.sleep(0.5)
                continue
            state = loaded.state
            if state.status in FINISHED:
                return
            now = now_ms()
            due_at = next_due_ms(state, now)
            bot_at = self.bots.next_pick_at(loaded, now) if self.bots else None
            if due_at is not None and due_at <= now:
                await self._step()
                continue
            if bot_at is not None and bot_at <= now and self.bots is not None:
                await self.bots.pick(self.rt, loaded)
                continue
            times = [t for t in (due_at, bot_at) if t is not None]
            if not times and state.status == "scheduled":
                return  # nothing to wait for: the commissioner starts it
            until = min([*times, now + MAX_SLEEP_MS])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, (until - now + 1) / 1000))

    async def _step(self) -> None:
        try:
            await run_due(self.rt, self.draft_id, guard=self._guard)
            self.steps += 1
        except LockLost:
            log.warning("draft %s: write refused, the lease is lost", self.draft_id)
        except DraftroomError as error:
            log.warning("draft %s: due step refused: %s", self.draft_id, error.code)
            await asyncio.sleep(0.2)
        except Exception:  # PostgreSQL or Redis trouble: retry shortly (the keeper decides)
            log.warning("draft %s: due step failed", self.draft_id, exc_info=True)
            await asyncio.sleep(0.5)

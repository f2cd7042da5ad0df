"""The per-process draft supervisor (an ``app.components`` item of every serve process).

Every ``scan_interval_s`` it lists the drafts that need a clock (live, paused, or scheduled
to open within 2 s) and tries to take the lease of each one it does not run; each lease
won starts a :class:`DraftRunner`. It also listens on the ``draftroom:wake`` channel: a
wake-up for a draft it runs re-arms that runner's timer at once; one for a draft nobody
seems to run is a cue to try its lease right away (a draft just started elsewhere). Every
third of a lease it renews all its runners' leases in one batch. A
dead process's leases expire after ``draft_lock_ttl_ms`` and the next scan takes them
over, resuming the stored deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import redis.asyncio as aioredis

from draftroom.coordination.lock import OwnerLease, renew_all
from draftroom.runner.bots import BotPlayer
from draftroom.runner.demo import DemoDirector
from draftroom.runner.runner import DraftRunner, lease_key
from draftroom.runtime import Runtime
from draftroom.services.drafts import store
from draftroom.services.drafts.wakeups import WAKE_CHANNEL, parse

log = logging.getLogger(__name__)

OPEN_AHEAD = timedelta(seconds=2)
_CANDIDATES = """
SELECT id FROM draft
WHERE status IN ('live', 'paused')
   OR (status = 'scheduled' AND opens_at IS NOT NULL AND opens_at <= $1 AND locks_at > $2)
ORDER BY id
"""


class DraftSupervisor:
    """Finds drafts that need a clock and runs the ones whose lease it wins."""

    instances: ClassVar[weakref.WeakSet[DraftSupervisor]] = weakref.WeakSet()
    """Live supervisors of this process (tests pause the in-process one)."""

    def __init__(
        self,
        rt: Runtime,
        *,
        scan_interval_s: float = 1.0,
        bots: bool | None = None,
        demo: bool | None = None,
    ) -> None:
        self.rt = rt
        self.scan_interval_s = scan_interval_s
        self.ttl_ms = rt.settings.draft_lock_ttl_ms
        use_bots = rt.settings.demo if bots is None else bots
        self.bots = BotPlayer() if use_bots else None
        self.demo = DemoDirector(rt) if (rt.settings.demo if demo is None else demo) else None
        self.runners: dict[int, tuple[DraftRunner, asyncio.Task[None]]] = {}
        self._busy_until: dict[int, float] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._pubsub_client: aioredis.Redis | None = None
        self._paused = False
        DraftSupervisor.instances.add(self)

    @property
    def running(self) -> set[int]:
        """Draft ids this process runs now."""
        return set(self.runners)

    async def start(self) -> None:
        """Start scanning, listening for wake-ups and (demo) directing the demo league."""
        self._tasks = [
            asyncio.create_task(self._scan_loop(), name="draft-supervisor-scan"),
            asyncio.create_task(self._listen_loop(), name="draft-supervisor-wake"),
            asyncio.create_task(self._renew_loop(), name="draft-supervisor-renew"),
        ]
        if self.demo is not None:
            self._tasks.append(asyncio.create_task(self.demo.run(), name="demo-director"))

    async def stop(self) -> None:
        """Stop every loop and runner; runners give their leases up for a fast takeover."""
        await self.pause()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        if self._pubsub_client is not None:
            with contextlib.suppress(Exception):
                await self._pubsub_client.aclose()
            self._pubsub_client = None

    async def pause(self) -> None:
        """Stop every runner (leases released) and claim nothing until :meth:`resume`."""
        self._paused = True
        tasks = [task for _, task in self.runners.values()]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self.runners.clear()
        self._busy_until.clear()

    def resume(self) -> None:
        """Claim drafts again after :meth:`pause`."""
        self._paused = False

    async def claim(self, draft_id: int) -> bool:
        """Try to take the lease of ``draft_id`` and run it; True when a runner started."""
        if self._paused or draft_id in self.runners:
            return False
        if self._busy_until.get(draft_id, 0.0) > time.monotonic():
            return False
        lease = OwnerLease(self.rt.redis, lease_key(draft_id), self.ttl_ms)
        try:
            won = await lease.acquire()
        except Exception:
            log.warning("could not try the lease of draft %s", draft_id, exc_info=True)
            return False
        if not won:
            self._busy_until[draft_id] = time.monotonic() + self.ttl_ms / 3000
            return False
        if draft_id in self.runners:  # claimed concurrently by a wake-up in this process
            await lease.release()
            return False
        self._busy_until.pop(draft_id, None)
        runner = DraftRunner(self.rt, draft_id, lease, bots=self.bots, on_exit=self._forget)
        task = asyncio.create_task(runner.run(), name=f"draft-runner-{draft_id}")
        self.runners[draft_id] = (runner, task)
        log.info("running draft %s", draft_id)
        return True

    def _forget(self, draft_id: int) -> None:
        self.runners.pop(draft_id, None)

    async def scan(self) -> None:
        """One pass: claim every draft that needs a clock and is not run here."""
        now = datetime.now(UTC)
        rows = await store.pool().fetch(_CANDIDATES, now + OPEN_AHEAD, now)
        if len(self._busy_until) > 10_000:
            self._busy_until.clear()
        ids = [int(row["id"]) for row in rows if int(row["id"]) not in self.runners]
        if not ids:
            return
        owners = await self.rt.redis.mget([lease_key(i) for i in ids])  # one round trip
        for draft_id, owner in zip(ids, owners, strict=True):
            if owner is None:
                await self.claim(draft_id)

    async def _scan_loop(self) -> None:
        while True:
            try:
                await self.scan()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("draft scan failed", exc_info=True)
            await asyncio.sleep(self.scan_interval_s)

    async def _listen_loop(self) -> None:
        url = self.rt.settings.redis_url
        assert url is not None
        while True:
            try:
                self._pubsub_client = aioredis.Redis.from_url(url, decode_responses=True)
                async with self._pubsub_client.pubsub() as pubsub:
                    await pubsub.subscribe(WAKE_CHANNEL)
                    while True:
                        message = await pubsub.get_message(
                            ignore_subscribe_messages=True, timeout=1.0
                        )
                        if message is not None:
                            await self._on_wake(str(message.get("data", "")))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("wake-up channel failed; reconnecting", exc_info=True)
                await asyncio.sleep(1.0)
            finally:
                if self._pubsub_client is not None:
                    with contextlib.suppress(Exception):
                        await self._pubsub_client.aclose()
                    self._pubsub_client = None

    async def _on_wake(self, data: str) -> None:
        message = parse(data)
        if message is None:
            return
        entry = self.runners.get(message.draft_id)
        if entry is not None:
            entry[0].wake(message.clock)
        elif message.clock is None or message.clock.status not in ("complete", "cancelled"):
            await self.claim(message.draft_id)

    async def renew_once(self) -> None:
        """Renew the lease of every runner of this process in one batch."""
        runners = [runner for runner, _ in self.runners.values() if not runner.lost]
        if not runners:
            return
        try:
            owned: list[bool | None] = list(
                await renew_all(self.rt.redis, [r.lease for r in runners])
            )
        except Exception:
            log.warning("could not renew %d draft leases", len(runners), exc_info=True)
            owned = [None] * len(runners)
        for runner, flag in zip(runners, owned, strict=True):
            runner.lease_renewed(flag)

    async def _renew_loop(self) -> None:
        while True:
            await asyncio.sleep(self.ttl_ms / 3000)
            await self.renew_once()

"""The per-process draft supervisor (an ``app.components`` item of every serve process).

Every ``scan_interval_s`` it lists the drafts that need a clock (live, paused, or scheduled
to open within 2 s) and tries to take the lease of each one it does not run; each lease
won starts a :class:`DraftRunner`, which holds its league's fan-out channel (``rooms``) so
that the league's commits reach it wherever they are made. Leases prefer the process that
holds the league's sockets: a process claims a draft of a league it has no socket of only
once the lease has been free for a whole scan. Wake-ups arrive with the league's
broadcasts (:meth:`on_wake`): one for a draft it runs re-arms that runner's timer at once;
one for a draft nobody seems to run is a cue to try its lease right away. Every third of a
lease it renews all its runners' leases in one batch. A dead process's leases expire after
``draft_lock_ttl_ms`` and the next scan takes them over, resuming the stored deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import weakref
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import ClassVar, Protocol

from draftroom.coordination.lock import OwnerLease, renew_all
from draftroom.db.queries import draft_clocks
from draftroom.db.queries.mock_drafts import draft_has_bots
from draftroom.runner.bots import BotPlayer
from draftroom.runner.demo import DemoDirector
from draftroom.runner.runner import DraftRunner, lease_key
from draftroom.services.drafts.snapshot import draft_league_id
from draftroom.services.drafts.wakeups import DraftClock
from draftroom.services.notifier import Wake, league_namespace
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

OPEN_AHEAD = timedelta(seconds=2)


class Rooms(Protocol):
    """What the supervisor needs of the fan-out (``realtime.fanout.FanoutManager``)."""

    def hold(self, namespace: str) -> None:
        """Receive the namespace's broadcasts (and wake-ups) in this process."""

    def release(self, namespace: str) -> None:
        """Undo one :meth:`hold`."""

    async def ready(self, namespace: str, room: str | None = None) -> bool:
        """Wait until the namespace's broadcasts reach this process."""

    def watching(self, namespace: str) -> bool:
        """True while this process holds a socket of the namespace."""


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
        rooms: Rooms | None = None,
    ) -> None:
        self.rt = rt
        self.rooms = rooms
        self.scan_interval_s = scan_interval_s
        self.ttl_ms = rt.settings.draft_lock_ttl_ms
        self.bots = BotPlayer() if bots is not False else None
        self.demo = DemoDirector(rt) if (rt.settings.demo if demo is None else demo) else None
        self.runners: dict[int, tuple[DraftRunner, asyncio.Task[None]]] = {}
        self._busy_until: dict[int, float] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._free_seen: dict[int, float] = {}
        self._claims: set[asyncio.Task[bool]] = set()
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

    async def claim(self, draft_id: int, league_id: int | None = None) -> bool:
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
        bots = await self._bots_for(draft_id)
        if draft_id in self.runners:  # claimed concurrently by a wake-up in this process
            await lease.release()
            return False
        self._busy_until.pop(draft_id, None)
        self._free_seen.pop(draft_id, None)
        namespace = None
        if self.rooms is not None:
            try:
                namespace = league_namespace(league_id or await draft_league_id(self.rt, draft_id))
            except Exception:
                log.warning("draft %s: league unknown", draft_id, exc_info=True)
                await lease.release()
                return False
            self.rooms.hold(namespace)
        runner = DraftRunner(self.rt, draft_id, lease, bots=bots, on_exit=self._exited(namespace))
        task = asyncio.create_task(self._run(runner, namespace), name=f"draft-runner-{draft_id}")
        self.runners[draft_id] = (runner, task)
        log.info("running draft %s", draft_id)
        return True

    async def _bots_for(self, draft_id: int) -> BotPlayer | None:
        """The bot player for a draft with bot teams (demo, mock drafts); None for the others,
        whose runner then reads only the draft's clock."""
        if self.bots is None:
            return None
        try:
            return self.bots if await draft_has_bots(draft_id) else None
        except Exception:
            log.warning("draft %s: could not tell whether it has bots", draft_id, exc_info=True)
            return self.bots

    async def _run(self, runner: DraftRunner, namespace: str | None) -> None:
        """Wait (briefly) for the league's channel so no wake-up is missed, then run."""
        if namespace is not None and self.rooms is not None:
            await self.rooms.ready(namespace)
        await runner.run()

    def _exited(self, namespace: str | None) -> Callable[[int], None]:
        def on_exit(draft_id: int) -> None:
            self._forget(draft_id)
            if namespace is not None and self.rooms is not None:
                self.rooms.release(namespace)

        return on_exit

    def _forget(self, draft_id: int) -> None:
        self.runners.pop(draft_id, None)

    async def scan(self) -> None:
        """One pass: claim every draft that needs a clock and is not run here (a draft of
        a league without a socket here only once its lease stayed free a whole scan)."""
        now = datetime.now(UTC)
        rows = await draft_clocks.clock_candidates(now + OPEN_AHEAD, now)
        if len(self._busy_until) > 10_000:
            self._busy_until.clear()
        pending = [
            (draft_id, league_id) for draft_id, league_id in rows if draft_id not in self.runners
        ]
        if not pending:
            self._free_seen.clear()
            return
        owners = await self.rt.redis.mget([lease_key(i) for i, _ in pending])  # one round trip
        seen_before, self._free_seen = self._free_seen, {}
        for (draft_id, league_id), owner in zip(pending, owners, strict=True):
            if owner is not None:
                continue
            if self._affine(league_id) or draft_id in seen_before:
                await self.claim(draft_id, league_id)
            else:
                self._free_seen[draft_id] = time.monotonic()

    def _affine(self, league_id: int) -> bool:
        """True when this process should run the league's drafts first: it holds sockets
        of the league (or nothing tells where the league lives)."""
        return self.rooms is None or self.rooms.watching(league_namespace(league_id))

    async def _scan_loop(self) -> None:
        while True:
            try:
                await self.scan()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("draft scan failed", exc_info=True)
            await asyncio.sleep(self.scan_interval_s)

    def on_wake(self, namespace: str, wake: Wake) -> None:
        """A wake-up delivered here: re-arm the runner of the draft, or try to run it."""
        entry = self.runners.get(wake.draft_id)
        clock = DraftClock.from_wake(wake)
        if entry is not None:
            entry[0].wake(clock)
        elif clock is None or clock.status not in ("complete", "cancelled"):
            task = asyncio.get_running_loop().create_task(self.claim(wake.draft_id))
            self._claims.add(task)
            task.add_done_callback(self._claims.discard)

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

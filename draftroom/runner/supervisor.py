"""The per-process draft supervisor (an ``app.components`` item of every serve process).

Every ``scan_interval_s`` it lists the drafts that need a clock (live, paused, or scheduled
to open within 2 s) and tries to take the lease of each one it does not run; each lease
won starts a :class:`DraftRunner`, which holds its league's fan-out channel (``rooms``) so
that the league's commits reach it wherever they are made. Leases prefer the process that
holds the league's sockets: a process claims a draft of a league it has no socket of only
once the lease has been free for a whole scan. Wake-ups arrive with the league's
broadcasts (:meth:`on_wake`): one for a draft it runs re-arms that runner's timer at once;
one for a draft nobody seems to run is a cue to try its lease right away.

Its leases are one :class:`~draftroom.coordination.holder.LeaseHolder`'s: each draft's
lease key names the process, whose one heartbeat the supervisor renews every third of
``draft_lock_ttl_ms`` (one Redis command, however many drafts it runs). A dead process's
leases lapse ``draft_lock_ttl_ms`` after its last heartbeat and the next scan takes them
over, resuming the stored deadline.

A runner waiting longer than a few seconds (a slow draft's 24 h clock) parks: it has no
task, only an entry in the process's one :class:`~draftroom.runner.timer.ClockTimer`,
which runs it again at its due time. A wake-up runs a parked runner again at once; the
scan, which lists each draft's ``seq``, is the parked runners' safety net against lost
wake-ups (a newer seq, or a draft that no longer needs a clock, runs it again).
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

from draftroom.coordination.holder import HeldLease, LeaseHolder
from draftroom.db.queries import draft_clocks
from draftroom.db.queries.mock_drafts import draft_has_bots
from draftroom.runner.bots import BotPlayer
from draftroom.runner.demo import DemoDirector
from draftroom.runner.runner import DraftRunner, lease_key
from draftroom.runner.timer import ClockTimer
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
        self.holder = LeaseHolder(rt.redis, self.ttl_ms)
        """This process's identity in its draft leases, kept alive by one heartbeat."""
        self.bots = BotPlayer() if bots is not False else None
        self.demo = DemoDirector(rt) if (rt.settings.demo if demo is None else demo) else None
        self.runners: dict[int, tuple[DraftRunner, asyncio.Task[None]]] = {}
        self._busy_until: dict[int, float] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._free_seen: dict[int, float] = {}
        self._claims: set[asyncio.Task[bool]] = set()
        self._paused = False
        self.timer = ClockTimer(self._resume)
        """The one timer of the parked runners."""
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
        with contextlib.suppress(Exception):
            await self.holder.close()

    async def pause(self) -> None:
        """Stop every runner (leases released) and claim nothing until :meth:`resume`."""
        self._paused = True
        entries = list(self.runners.values())
        for _, task in entries:
            task.cancel()
        for _, task in entries:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for runner, _ in entries:
            if runner.parked:
                await runner.stop()
        self.runners.clear()
        self.timer.close()
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
        lease = HeldLease(self.holder, lease_key(draft_id))
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
        runner = DraftRunner(
            self.rt,
            draft_id,
            lease,
            bots=bots,
            on_exit=self._exited(namespace),
            park=self._park,
        )
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
        self.timer.cancel(draft_id)

    def _park(self, draft_id: int, due_ms: int | None) -> None:
        """A runner's task ended to wait for ``due_ms`` (None: for a wake-up)."""
        if due_ms is None:
            self.timer.cancel(draft_id)
        else:
            self.timer.schedule(draft_id, due_ms)

    def _resume(self, draft_id: int) -> None:
        """Run a parked runner again (a no-op while its task runs: the runner was woken)."""
        entry = self.runners.get(draft_id)
        if entry is None or not entry[1].done():
            return
        runner = entry[0]
        self.timer.cancel(draft_id)
        task = asyncio.get_running_loop().create_task(runner.run(), name=f"draft-runner-{draft_id}")
        self.runners[draft_id] = (runner, task)

    @property
    def parked(self) -> int:
        """How many runners wait in the shared timer (or for a wake-up) without a task."""
        return sum(1 for runner, task in self.runners.values() if task.done() and runner.parked)

    async def scan(self) -> None:
        """One pass: claim every draft that needs a clock and is not run here (a draft of
        a league without a socket here only once its lease stayed free a whole scan)."""
        now = datetime.now(UTC)
        rows = await draft_clocks.clock_candidates(now + OPEN_AHEAD, now)
        if len(self._busy_until) > 10_000:
            self._busy_until.clear()
        self._check_parked({draft_id: seq for draft_id, _, seq in rows})
        pending = [
            (draft_id, league_id) for draft_id, league_id, _ in rows if draft_id not in self.runners
        ]
        if not pending:
            self._free_seen.clear()
            return
        free = await self.holder.free([lease_key(i) for i, _ in pending])
        seen_before, self._free_seen = self._free_seen, {}
        for (draft_id, league_id), is_free in zip(pending, free, strict=True):
            if not is_free:
                continue
            if self._affine(league_id) or draft_id in seen_before:
                await self.claim(draft_id, league_id)
            else:
                self._free_seen[draft_id] = time.monotonic()

    def _check_parked(self, listed: dict[int, int]) -> None:
        """The parked runners' safety net: run again each one whose draft changed (a newer
        seq than it knows) or no longer needs a clock, as a lost wake-up would leave it."""
        for draft_id, (runner, task) in list(self.runners.items()):
            if task.done() and runner.parked and runner.stale(listed.get(draft_id)):
                runner.wake()
                self._resume(draft_id)

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
            self._resume(wake.draft_id)
        elif clock is None or clock.status not in ("complete", "cancelled"):
            task = asyncio.get_running_loop().create_task(self.claim(wake.draft_id))
            self._claims.add(task)
            task.add_done_callback(self._claims.discard)

    async def renew_once(self) -> None:
        """Renew every lease of this process at once: one heartbeat of its holder. A runner
        whose lease names an older token of the holder (its heartbeat lapsed since) lost it."""
        try:
            await self.holder.beat()
            reached = True
        except Exception:
            log.warning("could not renew the draft leases (heartbeat)", exc_info=True)
            reached = False
        for runner, _ in list(self.runners.values()):
            if runner.lost:
                continue
            runner.lease_renewed(runner.lease.token == self.holder.token if reached else None)
            if runner.lost:
                self._resume(runner.draft_id)  # a parked runner runs to notice and stop

    async def _renew_loop(self) -> None:
        while True:
            await self.renew_once()
            await asyncio.sleep(self.ttl_ms / 3000)

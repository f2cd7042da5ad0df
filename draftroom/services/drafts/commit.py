"""The one way a draft's state changes: a read, a pure transition, one write.

(A team's queue is not draft state: ``commands.set_queue`` writes it under the draft's row
lock, outside ``commit``, and says why.)

``commit`` reads the draft, applies an action (a pure transition), chains whatever
automatic work is then due (``advance``: autodraft picks, lock-time completion), checks
the caller's guard (the runner's Redis lease), writes picks, team state, events and the
draft row, and only then publishes (:mod:`draftroom.services.drafts.publish`).

The usual commit (a pick, an autopick, a pause) takes two round trips and no lock: it reads
without the row lock and writes in one statement that does nothing unless the draft row is
still the version it read (its ``xmin``), so it is as if it ran alone at the moment of the
read. A commit that lost that race, an undo or a change of opening or lock time (more than
one statement), and one that stores notifications run again in one transaction under the
row lock (``draftroom_draft_commits_locked_total`` counts them by reason). Picks stay
exactly-once either way: a write never lands on a draft row it did not read, and unique
constraints on the pick slot and the driver back it.

Each commit's duration goes to ``draftroom_draft_commit_seconds``; one slower than
:data:`SLOW_COMMIT_S` is logged with its phases (:class:`CommitTimer`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from draftroom.db.engine import clock_pool, pool
from draftroom.db.queries import drafts as queries
from draftroom.db.queries.drafts import Loaded
from draftroom.domain.draft import Transition, advance, due
from draftroom.metrics import DRAFT_COMMIT, DRAFT_COMMIT_LOCKED, PICKS_COMMITTED
from draftroom.services.drafts.opening_mail import mail_draft_opened
from draftroom.services.drafts.publish import notifications_for, publish
from draftroom.services.notifications import insert_notifications
from draftroom.services.rankings import league_table, table_ranking
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

Action = Callable[[Loaded, int], Transition]
"""A pure step: ``(loaded, now_ms) -> Transition``; raise a DraftroomError to refuse."""
Guard = Callable[[], Awaitable[None]]
"""Called inside the transaction before writing; raise (LockLost) to refuse the write."""


def now_ms() -> int:
    """Wall-clock milliseconds since the epoch (the clock of every draft)."""
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class Committed:
    """What a commit did: the state before and the combined transition."""

    before: Loaded
    transition: Transition

    @property
    def new_picks(self) -> Sequence[object]:
        """Picks added by this commit."""
        return self.transition.state.picks[len(self.before.state.picks) :]


async def ranking_for(
    rt: Runtime, loaded: Loaded, conn: asyncpg.Connection | None = None
) -> tuple[int, ...]:
    """The league's autopick ranking: season fantasy points under its scoring, then
    championship position, then car number. Kept in ``rt.rankings`` (a
    :class:`~draftroom.services.drafts.caches.RankingCache`) per scoring table and season.
    Inside a commit, pass its connection (``conn``): taking a second one from the pool while
    holding the draft row would deadlock once every pooled connection does the same."""
    cache = rt.rankings
    try:
        table = cache.table(loaded.league_id)
        if table is None:
            table = await league_table(loaded.league_id, conn)
            cache.keep_table(loaded.league_id, table)
        ranked = cache.ranking(loaded.season, table)
        if ranked is None:
            ranked = tuple(r.driver_id for r in await table_ranking(loaded.season, table, conn))
            cache.keep_ranking(loaded.season, table, ranked)
    except Exception:
        log.exception("driver ranking failed; autopick falls back to car numbers")
        return loaded.fallback_ranking()
    return ranked + loaded.fallback_ranking()


def chain(first: Transition, second: Transition) -> Transition:
    """Two consecutive transitions as one."""
    return Transition(second.state, first.events + second.events, first.notices + second.notices)


SLOW_COMMIT_S = 0.25
"""Commits slower than this are logged with their phases."""


@dataclass
class CommitTimer:
    """Where one commit's time went (``time.perf_counter``). Phases, in order: ``acquire``
    (waiting for a pool connection), ``load`` (BEGIN and the locked load, row lock wait
    included), ``advance`` (the action, ranking and automatic work), ``guard`` (the caller's
    check), ``persist`` (writes, COMMIT and the connection's return to the pool; for a commit
    that changes nothing, just the COMMIT), ``publish``. A failed commit's time ends in the
    phase that failed."""

    draft_id: int
    outcome: str = "failed"
    locked: str = ""
    """Why the commit took the row lock (``shape``, ``notifications``, ``changed``), if it did."""
    started: float = field(default_factory=time.perf_counter)
    phases: dict[str, float] = field(default_factory=dict)
    _phase: str = field(default="acquire", init=False)
    _since: float = field(init=False)

    def __post_init__(self) -> None:
        self._since = self.started

    def enter(self, phase: str) -> None:
        """End the current phase and start ``phase`` (time adds up if it is entered again)."""
        now = time.perf_counter()
        self._close(now)
        self._phase, self._since = phase, now

    def _close(self, now: float) -> None:
        self.phases[self._phase] = self.phases.get(self._phase, 0.0) + now - self._since

    def finish(self) -> float:
        """End the last phase, record the total in the histogram, log it if slow; the total."""
        now = time.perf_counter()
        self._close(now)
        total = now - self.started
        DRAFT_COMMIT.labels(self.outcome).observe(total)
        if total > SLOW_COMMIT_S:
            phases = {f"{name}_ms": round(s * 1000, 1) for name, s in self.phases.items()}
            log.warning(
                "slow draft commit",
                extra={
                    "draft_id": self.draft_id,
                    "outcome": self.outcome,
                    "locked": self.locked or "no",
                    "total_ms": round(total * 1000, 1),
                    **phases,
                },
            )
        return total


async def commit(
    rt: Runtime,
    draft_id: int,
    action: Action,
    *,
    guard: Guard | None = None,
    auto_advance: bool = True,
    clock: bool = False,
) -> Committed:
    """Apply ``action`` to the draft and write it (see the module docs), then publish.

    A user's commit (``clock`` False) passes the process's admission gate (``overloaded``
    past capacity); the draft clock's own (``clock`` True: the runner) uses the connections
    reserved for clocks and is never refused."""
    timer = CommitTimer(draft_id)
    request = _Request(rt, draft_id, action, guard, auto_advance, timer)
    try:
        if clock:
            return await _commit(request, clock_pool())
        async with rt.admission.slot():
            return await _commit(request, pool())
    finally:
        timer.finish()


@dataclass(frozen=True)
class _Request:
    """One ``commit`` call: what to apply to which draft, and how."""

    rt: Runtime
    draft_id: int
    action: Action
    guard: Guard | None
    auto_advance: bool
    timer: CommitTimer


async def _commit(request: _Request, pool: asyncpg.Pool) -> Committed:
    rt, timer = request.rt, request.timer
    async with pool.acquire() as conn:
        done = await _unlocked(request, conn)
        if done is None:
            done = await _locked(request, conn)
    loaded, tr, now, stored = done
    if _changes_nothing(loaded, tr):
        timer.outcome = "noop"
        return Committed(loaded, tr)
    timer.enter("publish")
    timer.outcome = "written"
    for pick in tr.state.picks[len(loaded.state.picks) :]:
        PICKS_COMMITTED.labels(pick.by).inc()
    await publish(rt, loaded, tr, now, stored)
    return Committed(loaded, tr)


Done = tuple[Loaded, Transition, int, list[dict[str, Any]]]
"""What a commit read, the transition it wrote (or found to be a no-op), its ``now`` and
the notifications it stored."""


async def _transition(
    request: _Request, conn: asyncpg.Connection, loaded: Loaded, now: int
) -> Transition:
    """The action, then whatever automatic work is due after it."""
    tr = request.action(loaded, now)
    if request.auto_advance and due(tr.state, now) is not None:
        ranking = await ranking_for(request.rt, loaded, conn)
        tr = chain(tr, advance(tr.state, now_ms=now, queues=loaded.queues, ranking=ranking))
    return tr


async def _unlocked(request: _Request, conn: asyncpg.Connection) -> Done | None:
    """The usual commit in two round trips: read the draft without its row lock, then write
    the transition in one statement that does nothing unless the row is still the version
    read (:func:`~draftroom.db.queries.drafts.persist_if_unchanged`). The result is as if
    the commit ran alone at the moment of the read. None when the commit must take the
    lock: an undo or a change of opening or lock time (more than one statement),
    notifications to store with it, or another commit changed the draft first."""
    rt, timer, guard = request.rt, request.timer, request.guard
    now = now_ms()
    timer.enter("load")
    loaded = await queries.load(conn, request.draft_id, for_update=False)
    timer.enter("advance")
    tr = await _transition(request, conn, loaded, now)
    if _changes_nothing(loaded, tr):
        return loaded, tr, now, []
    if not queries.fits_one_statement(loaded, tr):
        _take_the_lock(timer, "shape")
        return None
    if notifications_for(loaded, tr, rt.live.online(loaded.league_id) or ()):
        _take_the_lock(timer, "notifications")
        return None
    if guard is not None:
        timer.enter("guard")
        await guard()
    timer.enter("persist")
    if not await queries.persist_if_unchanged(conn, loaded, tr):
        _take_the_lock(timer, "changed")
        return None
    return loaded, tr, now, []


def _changes_nothing(loaded: Loaded, tr: Transition) -> bool:
    """True when the transition leaves the draft as read and logs no event (a no-op)."""
    return tr.state == loaded.state and not tr.events


def _take_the_lock(timer: CommitTimer, reason: str) -> None:
    """Count and note why a commit takes the row lock."""
    DRAFT_COMMIT_LOCKED.labels(reason).inc()
    timer.locked = reason


async def _locked(request: _Request, conn: asyncpg.Connection) -> Done:
    """The commit under the draft's row lock, in one transaction with the notifications it
    causes."""
    rt, timer, guard = request.rt, request.timer, request.guard
    now = now_ms()
    timer.enter("load")
    async with conn.transaction():
        loaded = await queries.load(conn, request.draft_id, for_update=True)
        timer.enter("advance")
        tr = await _transition(request, conn, loaded, now)
        timer.enter("persist")
        if _changes_nothing(loaded, tr):
            return loaded, tr, now, []
        if guard is not None:
            timer.enter("guard")
            await guard()
            timer.enter("persist")
        await queries.persist(conn, loaded, tr)
        in_room = rt.live.online(loaded.league_id) or ()
        stored = await insert_notifications(conn, notifications_for(loaded, tr, in_room))
        await mail_draft_opened(conn, rt.settings.site_url, stored)
    return loaded, tr, now, stored


async def run_due(rt: Runtime, draft_id: int, *, guard: Guard | None = None) -> Committed:
    """The runner's step: apply whatever automatic work is due now (may be nothing)."""

    def noop(loaded: Loaded, now: int) -> Transition:
        return Transition(loaded.state, ())

    return await commit(rt, draft_id, noop, guard=guard, clock=True)

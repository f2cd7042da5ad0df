"""Building blocks of the draft transitions and the runner's view (due / advance).

Internal to the domain: other layers use :mod:`draftroom.domain.draft`, which re-exports
``due``, ``next_due_ms`` and ``advance``. A :class:`Run` threads the state through one
transition and numbers the events it emits; step functions validate against
``run.state`` and then change it, so steps can be chained inside one transition.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

from draftroom.domain import clock, quiet_hours
from draftroom.domain.autopick import choose_driver
from draftroom.domain.draft_state import (
    AUTODRAFT_AFTER_TIMEOUTS,
    DraftState,
    Event,
    Notice,
    Pick,
    PickedBy,
    Transition,
)
from draftroom.domain.order import round_of, team_for_pick
from draftroom.errors import (
    Conflict,
    DraftLocked,
    DraftNotLive,
    DriverTaken,
    DriverUnknown,
    PickTaken,
)

Due = Literal["start", "lock", "autodraft", "timeout"]
Queues = Mapping[int, Sequence[int]]


class Run:
    """Threads the state through one transition, numbering events as they are emitted."""

    def __init__(self, state: DraftState) -> None:
        self.state = state
        self.events: list[Event] = []
        self.notices: list[Notice] = []

    def emit(self, type_: str, data: dict[str, Any], now_ms: int) -> None:
        """Append an event with the next seq and advance ``state.seq``."""
        seq = self.state.seq + 1
        self.state = replace(self.state, seq=seq)
        self.events.append(Event(seq, type_, data, now_ms))

    def result(self) -> Transition:
        """The transition made so far."""
        return Transition(self.state, tuple(self.events), tuple(self.notices))


def run_transition(state: DraftState, body: Callable[[Run], object]) -> Transition:
    """Run ``body`` on a fresh :class:`Run` of ``state`` and return its transition."""
    run = Run(state)
    body(run)
    return run.result()


def with_count(
    timeouts: tuple[tuple[int, int], ...], team: int, n: int
) -> tuple[tuple[int, int], ...]:
    """``timeouts`` with ``team``'s count set to ``n`` (zeros dropped, sorted)."""
    counts = dict(timeouts)
    counts[team] = n
    return tuple(sorted((t, c) for t, c in counts.items() if c))


# --- checks -------------------------------------------------------------------------------


def require_live(state: DraftState, now_ms: int) -> None:
    """Raise DraftNotLive unless live, DraftLocked once locked."""
    if state.status != "live":
        raise DraftNotLive(details={"status": state.status})
    if state.is_locked(now_ms):
        raise DraftLocked()


def require_running(state: DraftState, now_ms: int) -> None:
    """Raise DraftNotLive unless live or paused, DraftLocked once locked."""
    if state.status not in ("live", "paused"):
        raise DraftNotLive(details={"status": state.status})
    if state.is_locked(now_ms):
        raise DraftLocked()


def check_pick_no(state: DraftState, pick_no: int) -> int:
    """Raise PickTaken unless ``pick_no`` is the current pick; return its team."""
    current = state.current_pick_no
    if current is None or pick_no != current:
        raise PickTaken(details={"pick_no": pick_no, "current_pick_no": current})
    return team_for_pick(state.order, current, state.draft_type)


def check_driver(state: DraftState, driver_id: int) -> None:
    """Raise DriverUnknown (not in the pool) or DriverTaken (already drafted)."""
    if driver_id not in state.pool:
        raise DriverUnknown(details={"driver_id": driver_id})
    if driver_id in state.taken:
        raise DriverTaken(details={"driver_id": driver_id})


# --- building blocks ------------------------------------------------------------------------


def clock_on(run: Run, now_ms: int, duration_ms: int) -> None:
    """Put the current pick on the clock for ``duration_ms`` and announce it."""
    s = run.state
    pick_no = s.current_pick_no
    assert pick_no is not None
    deadline = quiet_hours.deadline_after(now_ms, duration_ms, s.quiet_hours)
    run.state = replace(s, deadline_ms=deadline, remaining_ms=None)
    run.emit(
        "draft:turn",
        {
            "pick_no": pick_no,
            "round": round_of(pick_no, s.n_teams),
            "team_id": team_for_pick(s.order, pick_no, s.draft_type),
            "deadline": deadline,
            "server_now": now_ms,
        },
        now_ms,
    )


def place(run: Run, driver_id: int, by: PickedBy, now_ms: int, *, next_turn: bool = True) -> int:
    """Record the current pick; complete the draft or put the next pick on the clock."""
    s = run.state
    pick_no = s.current_pick_no
    assert pick_no is not None
    team = team_for_pick(s.order, pick_no, s.draft_type)
    pick = Pick(pick_no, round_of(pick_no, s.n_teams), team, driver_id, by, now_ms)
    timeouts = with_count(s.timeouts, team, 0) if by == "user" else s.timeouts
    run.state = replace(s, picks=(*s.picks, pick), timeouts=timeouts)
    run.emit(
        "draft:pick",
        {
            "pick_no": pick_no,
            "round": pick.round,
            "team_id": team,
            "driver_id": driver_id,
            "by": by,
        },
        now_ms,
    )
    if run.state.current_pick_no is None:
        run.state = replace(run.state, status="complete", deadline_ms=None, remaining_ms=None)
        run.emit("draft:complete", {}, now_ms)
    elif next_turn:
        clock_on(run, now_ms, clock.full_clock_ms(s.pick_seconds))
    return team


def autopick(
    run: Run, now_ms: int, queues: Queues | None, ranking: Sequence[int], *, next_turn: bool = True
) -> int:
    """Autopick (queue, then ranking) for the team on the clock; return the team."""
    s = run.state
    team = s.on_the_clock
    assert team is not None
    queue = (queues or {}).get(team, ())
    driver = choose_driver(s.pool, s.taken, queue, ranking)
    return place(run, driver, "auto", now_ms, next_turn=next_turn)


# --- transition bodies (validate against run.state, then change it) ------------------------


def start_step(run: Run, now_ms: int) -> None:
    """scheduled -> live with pick 1 on a full clock."""
    s = run.state
    if s.status != "scheduled":
        raise Conflict(f"The draft is {s.status}; only a scheduled draft can start.")
    if s.is_locked(now_ms):
        raise DraftLocked()
    run.state = replace(s, status="live")
    run.emit("draft:started", {}, now_ms)
    clock_on(run, now_ms, clock.full_clock_ms(s.pick_seconds))


def timeout_step(run: Run, now_ms: int, queues: Queues | None, ranking: Sequence[int]) -> None:
    """Autopick for a team whose clock ran out; count it; autodraft on at the limit."""
    s = run.state
    require_live(s, now_ms)
    if s.deadline_ms is None or now_ms < s.deadline_ms:
        raise Conflict("The pick clock has not run out yet.")
    team = autopick(run, now_ms, queues, ranking)
    count = s.timeouts_of(team) + 1
    run.state = replace(run.state, timeouts=with_count(run.state.timeouts, team, count))
    if count >= AUTODRAFT_AFTER_TIMEOUTS and team not in run.state.autodraft:
        run.state = replace(run.state, autodraft=run.state.autodraft | {team})
        run.notices.append(
            Notice("autodraft", {"team_id": team, "enabled": True, "reason": "timeouts"})
        )


def autodraft_step(run: Run, now_ms: int, queues: Queues | None, ranking: Sequence[int]) -> None:
    """Autopick for an autodraft team (or in an auto draft) as soon as it is on the clock."""
    s = run.state
    require_live(s, now_ms)
    if s.draft_type != "auto" and s.on_the_clock not in s.autodraft:
        raise Conflict("The team on the clock does not have autodraft on.")
    autopick(run, now_ms, queues, ranking)


def lock_step(run: Run, now_ms: int, queues: Queues | None, ranking: Sequence[int]) -> None:
    """Complete a live or paused draft at lock time by autopicking every remaining pick."""
    s = run.state
    if s.status not in ("live", "paused"):
        raise DraftNotLive(details={"status": s.status})
    if not s.is_locked(now_ms):
        raise Conflict("The draft is not locked yet.")
    while run.state.status != "complete":
        autopick(run, now_ms, queues, ranking, next_turn=False)


# --- the runner's view --------------------------------------------------------------------------


def due(state: DraftState, now_ms: int) -> Due | None:
    """What automatic work is due at ``now_ms`` (see the module docstring), or None."""
    locked = state.is_locked(now_ms)
    if state.status == "scheduled":
        opens = state.opens_at_ms
        return "start" if opens is not None and now_ms >= opens and not locked else None
    if state.status in ("live", "paused") and locked:
        return "lock"
    if state.status != "live":
        return None
    if state.draft_type == "auto" or state.on_the_clock in state.autodraft:
        return "autodraft"
    if state.deadline_ms is not None and now_ms >= state.deadline_ms:
        return "timeout"
    return None


def next_due_ms(state: DraftState, now_ms: int) -> int | None:
    """When the runner should next call :func:`advance`: ``now_ms`` if work is due now,
    else the earliest future deadline / opens_at / locks_at, else None (nothing to wait for)."""
    if due(state, now_ms) is not None:
        return now_ms
    return clock_due_ms(state.status, state.deadline_ms, state.opens_at_ms, state.locks_at_ms)


def clock_due_ms(
    status: str, deadline_ms: int | None, opens_at_ms: int | None, locks_at_ms: int | None
) -> int | None:
    """The next time-driven change from the clock fields alone: a scheduled draft's
    ``opens_at`` (unless it is past the lock), a live draft's deadline, a live or paused
    draft's ``locks_at``; None when no time will change it. Equals :func:`next_due_ms` for
    any state just written by a commit (which applies whatever was due)."""
    times: list[int] = []
    if status == "scheduled":
        if opens_at_ms is not None and not clock.is_locked(locks_at_ms, opens_at_ms):
            times.append(opens_at_ms)
    elif status in ("live", "paused"):
        if locks_at_ms is not None:
            times.append(locks_at_ms)
        if status == "live" and deadline_ms is not None:
            times.append(deadline_ms)
    return min(times) if times else None


def advance(
    state: DraftState, *, now_ms: int, queues: Queues | None = None, ranking: Sequence[int] = ()
) -> Transition:
    """Apply everything :func:`due` at ``now_ms``, repeatedly, in one transition."""
    run = Run(state)
    for _ in range(state.total_picks + 3):
        action = due(run.state, now_ms)
        if action is None:
            break
        if action == "start":
            start_step(run, now_ms)
        elif action == "lock":
            lock_step(run, now_ms, queues, ranking)
        elif action == "autodraft":
            autodraft_step(run, now_ms, queues, ranking)
        else:
            timeout_step(run, now_ms, queues, ranking)
    return run.result()

"""The per-race draft as a pure state machine: no I/O, no async, ``now_ms`` passed in.

State
    :class:`DraftState` (frozen, in ``draft_state.py``, re-exported here) holds everything
    the rules need: ``status`` (scheduled | live | paused | complete | cancelled), ``order``
    (first-round team ids), ``draft_type`` (snake | linear | auto), ``pick_seconds``,
    ``picks_per_team``, ``pool`` (draftable driver ids), ``picks`` (:class:`Pick`: pick_no,
    round, team_id, driver_id, by = user | auto | commissioner, at_ms), ``deadline_ms``
    (absolute, set only while live), ``remaining_ms`` (set only while paused),
    ``timeouts`` (consecutive timeouts per team, read with ``timeouts_of``), ``autodraft``
    (team ids), ``opens_at_ms`` / ``locks_at_ms`` and ``seq`` (seq of the last event, 0
    before any). Build one with :func:`new_draft` (validates settings; status scheduled).
    Persist it with ``state.to_dict()`` / :func:`state_from_dict`, or column by column;
    derived values: ``current_pick_no``, ``on_the_clock``, ``taken``, ``available``,
    ``current(now_ms)`` (the snapshot's ``current`` object).

Transitions
    Every transition is ``f(state, *, ..., now_ms) -> Transition`` where ``Transition`` is
    the named tuple ``(state, events, notices)``. It validates first and raises an error of
    ``draftroom.errors`` without any change; otherwise the new state's ``seq`` is the seq
    of its last event and ``events`` carry ``seq`` contiguous from the old ``state.seq + 1``.
    Persist the new state and the events in one transaction (conditional on the old seq,
    or under the draft's row lock), then broadcast the events in order.

    ``start``: scheduled -> live, pick 1 on the clock with a full clock.
        Events: started, turn.
    ``make_pick``: the owner's pick. Checks, in order: DraftNotLive, DraftLocked,
        PickTaken (pick_no is not the current one), NotYourTurn, DriverUnknown (not in
        the pool), DriverTaken. Resets the team's consecutive timeouts (by="user").
        Events: pick, then turn (next pick, full clock) or complete (last pick).
    ``force_pick``: the commissioner picks for the team on the clock (by="commissioner";
        same checks minus NotYourTurn; timeouts untouched). Events: as make_pick.
    ``timeout``: now >= deadline: autopick (by="auto") and +1 consecutive timeout; at 2
        autodraft switches on with a Notice(reason="timeouts"). Events: as make_pick.
    ``autodraft_pick``: autopick for a team on the clock with autodraft on (or any team of
        an ``auto`` draft); timeouts untouched. Events: as make_pick.
    ``complete_at_lock``: live or paused at locks_at: autopick every remaining pick at once.
        Events: pick, pick, ..., complete.
    ``pause``: live -> paused, deadline dropped, remaining time kept. Events: paused.
    ``resume``: paused -> live with the remaining time, at least 10 s. Events: resumed, turn.
    ``undo``: live or paused; removes the last pick, that team is back on the clock with a
        full clock (kept as remaining time while paused). Events: undo (+ turn when live).
    ``cancel``: any status but complete (also after lock) -> cancelled. Events: cancelled.
    ``set_autodraft``: the owner's switch (off also resets the team's timeouts); no event,
        a Notice(reason="owner") when the value changed.
    ``advance``: everything due now (see below), chained in one transition.

    Event payloads follow SPEC section 3: ``draft:started`` {}, ``draft:turn`` {pick_no,
    round, team_id, deadline, server_now}, ``draft:pick`` {pick_no, round, team_id,
    driver_id, by}, ``draft:paused`` {remaining_ms}, ``draft:resumed`` {}, ``draft:undo``
    {pick_no}, ``draft:complete`` {}; plus ``draft:cancelled`` {} (not in the SPEC's list;
    a cancel is a change, so it is logged). The service adds ``draft_id`` and sends
    ``event.seq`` and ``event.at_ms`` as ``seq`` / ``at``.

Automatic work (the draft runner)
    :func:`due` says what is due at ``now_ms``: ``"start"`` (scheduled, opens_at reached),
    ``"lock"`` (live or paused at locks_at), ``"autodraft"`` (the team on the clock has
    autodraft on, or draft_type auto) or ``"timeout"`` (deadline reached), else None.
    :func:`advance` applies them until nothing is due (so ``auto`` drafts and autodraft
    chains finish at once) and :func:`next_due_ms` tells the runner when to wake next.
    Call ``advance`` after every command too (a pick may put an autodraft team on the clock).
    Autopicks need ``queues`` (team_id -> driver ids) and ``ranking`` (driver ids best first,
    from ``autopick.build_ranking``); see ``autopick.choose_driver``. A scheduled draft is
    not touched at lock time (only the commissioner's ``cancel``); after lock nothing but
    ``cancel`` changes a draft. Permissions (owner, commissioner) are the service's job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from draftroom.domain import clock
from draftroom.domain.draft_state import (
    DraftState,
    Event,
    Notice,
    Pick,
    Transition,
    new_draft,
    state_from_dict,
)
from draftroom.domain.draft_steps import (
    Due,
    Queues,
    Run,
    advance,
    autodraft_step,
    check_driver,
    check_pick_no,
    clock_due_ms,
    clock_on,
    due,
    lock_step,
    next_due_ms,
    place,
    require_live,
    require_running,
    run_transition,
    start_step,
    timeout_step,
    with_count,
)
from draftroom.domain.quiet_hours import running_ms
from draftroom.errors import Conflict, DraftLocked, DraftNotLive, NotYourTurn, ValidationFailed

__all__ = [
    "DraftState", "Due", "Event", "Notice", "Pick", "Queues", "Transition", "advance",
    "autodraft_pick", "cancel", "clock_due_ms", "complete_at_lock", "due", "force_pick",
    "make_pick", "new_draft", "next_due_ms", "pause", "remaining_ms", "reschedule", "resume",
    "set_autodraft", "start", "state_from_dict", "timeout", "undo",
]  # fmt: skip

remaining_ms = clock.remaining_ms


# --- public transitions ----------------------------------------------------------------------


def start(state: DraftState, *, now_ms: int) -> Transition:
    """Start a scheduled draft now (commissioner, or the runner once opens_at is reached)."""
    return run_transition(state, lambda run: start_step(run, now_ms))


def make_pick(
    state: DraftState, *, team_id: int, pick_no: int, driver_id: int, now_ms: int
) -> Transition:
    """The owner of ``team_id`` takes ``driver_id`` with pick ``pick_no``."""
    require_live(state, now_ms)
    team = check_pick_no(state, pick_no)
    if team != team_id:
        raise NotYourTurn(details={"pick_no": pick_no, "team_id": team})
    check_driver(state, driver_id)
    return run_transition(state, lambda run: place(run, driver_id, "user", now_ms))


def force_pick(state: DraftState, *, pick_no: int, driver_id: int, now_ms: int) -> Transition:
    """The commissioner picks ``driver_id`` for the team on the clock (by="commissioner")."""
    require_live(state, now_ms)
    check_pick_no(state, pick_no)
    check_driver(state, driver_id)
    return run_transition(state, lambda run: place(run, driver_id, "commissioner", now_ms))


def timeout(
    state: DraftState, *, now_ms: int, queues: Queues | None = None, ranking: Sequence[int] = ()
) -> Transition:
    """The deadline has passed: autopick for the team on the clock and count the timeout."""
    return run_transition(state, lambda run: timeout_step(run, now_ms, queues, ranking))


def autodraft_pick(
    state: DraftState, *, now_ms: int, queues: Queues | None = None, ranking: Sequence[int] = ()
) -> Transition:
    """Autopick for a team on the clock with autodraft on (or any team of an auto draft)."""
    return run_transition(state, lambda run: autodraft_step(run, now_ms, queues, ranking))


def complete_at_lock(
    state: DraftState, *, now_ms: int, queues: Queues | None = None, ranking: Sequence[int] = ()
) -> Transition:
    """At locks_at, complete a live or paused draft at once by autopick."""
    return run_transition(state, lambda run: lock_step(run, now_ms, queues, ranking))


def pause(state: DraftState, *, now_ms: int) -> Transition:
    """Freeze the clock, keeping the remaining time."""
    require_live(state, now_ms)
    left = (
        clock.full_clock_ms(state.pick_seconds)
        if state.deadline_ms is None
        else running_ms(now_ms, state.deadline_ms, state.quiet_hours)
    )

    def body(run: Run) -> None:
        run.state = replace(state, status="paused", deadline_ms=None, remaining_ms=left)
        run.emit("draft:paused", {"remaining_ms": left}, now_ms)

    return run_transition(state, body)


def resume(state: DraftState, *, now_ms: int) -> Transition:
    """Resume a paused draft: the team on the clock gets its remaining time, at least 10 s."""
    if state.status != "paused":
        raise Conflict(f"The draft is {state.status}, not paused.")
    if state.is_locked(now_ms):
        raise DraftLocked()
    budget = clock.resume_budget_ms(state.remaining_ms, state.pick_seconds)

    def body(run: Run) -> None:
        run.state = replace(state, status="live")
        run.emit("draft:resumed", {}, now_ms)
        clock_on(run, now_ms, budget)

    return run_transition(state, body)


def undo(state: DraftState, *, now_ms: int) -> Transition:
    """Take back the last pick; that team is back on the clock with a full clock.

    Allowed while live or paused (paused: the full clock is kept as remaining time).
    Consecutive-timeout counts are left as they are.
    """
    require_running(state, now_ms)
    if not state.picks:
        raise Conflict("There is no pick to undo.")
    last = state.picks[-1]
    full = clock.full_clock_ms(state.pick_seconds)

    def body(run: Run) -> None:
        run.state = replace(state, picks=state.picks[:-1])
        run.emit("draft:undo", {"pick_no": last.pick_no}, now_ms)
        if state.status == "live":
            clock_on(run, now_ms, full)
        else:
            run.state = replace(run.state, remaining_ms=full)

    return run_transition(state, body)


def cancel(state: DraftState, *, now_ms: int) -> Transition:
    """Cancel a draft in any status but complete (also after lock)."""
    if state.status in ("complete", "cancelled"):
        raise Conflict(f"A {state.status} draft cannot be cancelled.")

    def body(run: Run) -> None:
        run.state = replace(state, status="cancelled", deadline_ms=None, remaining_ms=None)
        run.emit("draft:cancelled", {}, now_ms)

    return run_transition(state, body)


def reschedule(
    state: DraftState, *, opens_at_ms: int | None, locks_at_ms: int, now_ms: int
) -> Transition:
    """The race's sessions moved: the draft takes its new ``opens_at`` / ``locks_at``.

    Allowed while scheduled, live or paused. Events: ``draft:rescheduled {opens_at,
    locks_at}``; a scheduled draft whose opening and lock have both passed also starts
    (``draft:started``), so that :func:`advance` completes it by autopick at once, exactly
    as a live draft is completed at lock time. Unchanged times are a no-op.
    """
    if state.status not in ("scheduled", "live", "paused"):
        raise DraftNotLive(details={"status": state.status})
    if opens_at_ms is not None and opens_at_ms >= locks_at_ms:
        raise ValidationFailed(
            "opens_at must be before locks_at.",
            details=[{"field": "opens_at", "message": "must be before locks_at"}],
        )
    if (state.opens_at_ms, state.locks_at_ms) == (opens_at_ms, locks_at_ms):
        return Transition(state, ())

    def body(run: Run) -> None:
        run.state = replace(state, opens_at_ms=opens_at_ms, locks_at_ms=locks_at_ms)
        run.emit("draft:rescheduled", {"opens_at": opens_at_ms, "locks_at": locks_at_ms}, now_ms)
        opened = opens_at_ms is not None and now_ms >= opens_at_ms
        if state.status == "scheduled" and opened and run.state.is_locked(now_ms):
            run.state = replace(run.state, status="live")
            run.emit("draft:started", {}, now_ms)

    return run_transition(state, body)


def set_autodraft(state: DraftState, *, team_id: int, enabled: bool, now_ms: int) -> Transition:
    """Switch a team's autodraft on or off (no event; a Notice when it changed).

    Switching off resets the team's consecutive timeouts. Setting the current value is a
    no-op. Allowed while scheduled, live or paused, before lock.
    """
    if state.status not in ("scheduled", "live", "paused"):
        raise DraftNotLive(details={"status": state.status})
    if state.is_locked(now_ms):
        raise DraftLocked()
    if team_id not in state.order:
        raise ValidationFailed("That team is not in this draft.", details={"team_id": team_id})
    if (team_id in state.autodraft) == enabled:
        return Transition(state, ())
    if enabled:
        new = replace(state, autodraft=state.autodraft | {team_id})
    else:
        new = replace(
            state,
            autodraft=state.autodraft - {team_id},
            timeouts=with_count(state.timeouts, team_id, 0),
        )
    notice = Notice("autodraft", {"team_id": team_id, "enabled": enabled, "reason": "owner"})
    return Transition(new, (), (notice,))

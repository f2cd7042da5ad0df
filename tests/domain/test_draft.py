"""The draft state machine: each transition, its events and each error."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from draftroom.domain.draft import (
    DraftState,
    Event,
    Transition,
    advance,
    autodraft_pick,
    cancel,
    clock_due_ms,
    complete_at_lock,
    due,
    force_pick,
    make_pick,
    new_draft,
    next_due_ms,
    pause,
    remaining_ms,
    resume,
    set_autodraft,
    start,
    state_from_dict,
    timeout,
    undo,
)
from draftroom.errors import (
    Conflict,
    DraftLocked,
    DraftNotLive,
    DraftroomError,
    DriverTaken,
    DriverUnknown,
    NotYourTurn,
    PickTaken,
    ValidationFailed,
)

T1, T2, T3 = 1, 2, 3
ORDER = (T1, T2, T3)
POOL = tuple(range(101, 111))
T0 = 1_700_000_000_000
CLOCK = 60_000
LOCK = T0 + 86_400_000


def scheduled(**kw: Any) -> DraftState:
    args: dict[str, Any] = {"order": ORDER, "pool": POOL, "pick_seconds": 60}
    args.update(picks_per_team=2, locks_at_ms=LOCK)
    args.update(kw)
    return new_draft(**args)


def live(**kw: Any) -> DraftState:
    return start(scheduled(**kw), now_ms=T0).state


def picked(state: DraftState, *drivers: int, now_ms: int = T0 + 1000) -> DraftState:
    for driver in drivers:
        team = state.on_the_clock
        assert team is not None and state.current_pick_no is not None
        state = make_pick(
            state, team_id=team, pick_no=state.current_pick_no, driver_id=driver, now_ms=now_ms
        ).state
    return state


def kinds(t: Transition) -> list[str]:
    return [e.type for e in t.events]


def assert_seq_follows(before: DraftState, t: Transition) -> None:
    assert [e.seq for e in t.events] == list(range(before.seq + 1, before.seq + 1 + len(t.events)))
    assert t.state.seq == before.seq + len(t.events)


# --- creation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kw",
    [
        {"draft_type": "random"},
        {"pick_seconds": 4},
        {"pick_seconds": 86401},
        {"picks_per_team": 0},
        {"picks_per_team": 5},
        {"order": ()},
        {"order": (T1, T1)},
        {"pool": (101, 101, 102, 103, 104, 105, 106)},
        {"pool": POOL[:5]},  # 3 teams * 2 picks need 6 drivers
        {"opens_at_ms": LOCK},
        {"autodraft": (99,)},
    ],
)
def test_new_draft_rejects_invalid_settings(kw: dict[str, Any]) -> None:
    with pytest.raises(ValidationFailed):
        scheduled(**kw)


def test_new_draft_is_scheduled_with_no_events_yet() -> None:
    s = scheduled(autodraft=(T2,))
    assert (s.status, s.seq, s.picks, s.deadline_ms, s.autodraft) == (
        "scheduled",
        0,
        (),
        None,
        {T2},
    )
    assert s.total_picks == 6 and s.current_pick_no == 1 and s.on_the_clock is None


# --- start ------------------------------------------------------------------------------------


def test_start_goes_live_and_puts_pick_one_on_a_full_clock() -> None:
    before = scheduled()
    t = start(before, now_ms=T0)
    assert t.state.status == "live" and t.state.deadline_ms == T0 + CLOCK
    assert [(e.type, e.data) for e in t.events] == [
        ("draft:started", {}),
        (
            "draft:turn",
            {"pick_no": 1, "round": 1, "team_id": T1, "deadline": T0 + CLOCK, "server_now": T0},
        ),
    ]
    assert [e.seq for e in t.events] == [1, 2] and all(e.at_ms == T0 for e in t.events)


@pytest.mark.parametrize(
    ("state", "now", "error"),
    [
        (live(), T0, Conflict),
        (replace(scheduled(), status="cancelled"), T0, Conflict),
        (scheduled(), LOCK, DraftLocked),
    ],
)
def test_start_errors(state: DraftState, now: int, error: type[DraftroomError]) -> None:
    with pytest.raises(error):
        start(state, now_ms=now)


# --- picks ------------------------------------------------------------------------------------


def test_user_pick_records_the_pick_and_puts_the_next_team_on_the_clock() -> None:
    before = replace(live(), timeouts=((T1, 1),))
    t = make_pick(before, team_id=T1, pick_no=1, driver_id=105, now_ms=T0 + 5000)
    pick = t.state.picks[0]
    assert (pick.pick_no, pick.round, pick.team_id, pick.driver_id, pick.by, pick.at_ms) == (
        1, 1, T1, 105, "user", T0 + 5000,
    )  # fmt: skip
    assert [(e.type, e.data) for e in t.events] == [
        ("draft:pick", {"pick_no": 1, "round": 1, "team_id": T1, "driver_id": 105, "by": "user"}),
        (
            "draft:turn",
            {
                "pick_no": 2,
                "round": 1,
                "team_id": T2,
                "deadline": T0 + 5000 + CLOCK,
                "server_now": T0 + 5000,
            },
        ),
    ]
    assert t.state.timeouts_of(T1) == 0  # a user pick resets consecutive timeouts
    assert_seq_follows(before, t)


def test_the_last_pick_completes_the_draft() -> None:
    before = picked(live(), 101, 102, 103, 104, 105)
    t = make_pick(before, team_id=T1, pick_no=6, driver_id=110, now_ms=T0 + 9000)
    assert kinds(t) == ["draft:pick", "draft:complete"]
    assert t.state.status == "complete" and t.state.deadline_ms is None
    assert [p.team_id for p in t.state.picks] == [T1, T2, T3, T3, T2, T1]


def test_commissioner_pick_is_for_the_team_on_the_clock() -> None:
    before = replace(picked(live(), 101), timeouts=((T2, 1),))
    t = force_pick(before, pick_no=2, driver_id=107, now_ms=T0 + 2000)
    assert t.events[0].data == {
        "pick_no": 2,
        "round": 1,
        "team_id": T2,
        "driver_id": 107,
        "by": "commissioner",
    }
    assert t.state.picks[-1].by == "commissioner" and t.state.timeouts_of(T2) == 1


LIVE = live()
AFTER_ONE = picked(LIVE, 101)


@pytest.mark.parametrize(
    ("state", "team", "pick_no", "driver", "now", "error"),
    [
        (scheduled(), T1, 1, 101, T0, DraftNotLive),
        (pause(LIVE, now_ms=T0).state, T1, 1, 101, T0, DraftNotLive),
        (cancel(LIVE, now_ms=T0).state, T1, 1, 101, T0, DraftNotLive),
        (picked(LIVE, 101, 102, 103, 104, 105, 106), T1, 7, 107, T0, DraftNotLive),
        (LIVE, T1, 1, 101, LOCK, DraftLocked),
        (AFTER_ONE, T1, 1, 102, T0, PickTaken),  # stale pick_no
        (AFTER_ONE, T2, 3, 102, T0, PickTaken),  # not yet that pick
        (AFTER_ONE, T1, 1, 999, T0, PickTaken),  # pick_no checked before the driver
        (AFTER_ONE, T1, 2, 102, T0, NotYourTurn),
        (AFTER_ONE, T3, 2, 999, T0, NotYourTurn),  # team checked before the driver
        (AFTER_ONE, T2, 2, 999, T0, DriverUnknown),
        (AFTER_ONE, T2, 2, 101, T0, DriverTaken),
    ],
)
def test_make_pick_errors(
    state: DraftState, team: int, pick_no: int, driver: int, now: int, error: type[DraftroomError]
) -> None:
    with pytest.raises(error):
        make_pick(state, team_id=team, pick_no=pick_no, driver_id=driver, now_ms=now)


@pytest.mark.parametrize(
    ("state", "pick_no", "driver", "now", "error"),
    [
        (scheduled(), 1, 101, T0, DraftNotLive),
        (LIVE, 1, 101, LOCK, DraftLocked),
        (AFTER_ONE, 1, 102, T0, PickTaken),
        (AFTER_ONE, 2, 999, T0, DriverUnknown),
        (AFTER_ONE, 2, 101, T0, DriverTaken),
    ],
)
def test_force_pick_errors(
    state: DraftState, pick_no: int, driver: int, now: int, error: type[DraftroomError]
) -> None:
    with pytest.raises(error):
        force_pick(state, pick_no=pick_no, driver_id=driver, now_ms=now)


# --- timeouts and autodraft -------------------------------------------------------------------


def test_timeout_autopicks_from_the_queue_and_counts() -> None:
    before = LIVE
    t = timeout(before, now_ms=T0 + CLOCK, queues={T1: [104, 101]}, ranking=[102])
    assert t.events[0].data == {
        "pick_no": 1,
        "round": 1,
        "team_id": T1,
        "driver_id": 104,
        "by": "auto",
    }
    assert kinds(t) == ["draft:pick", "draft:turn"]
    assert t.state.timeouts_of(T1) == 1 and t.state.autodraft == frozenset() and t.notices == ()
    assert_seq_follows(before, t)


def test_timeout_falls_back_to_the_ranking() -> None:
    t = timeout(AFTER_ONE, now_ms=T0 + 99_000, queues={T2: [101]}, ranking=[101, 108, 102])
    assert t.state.picks[-1].driver_id == 108


def test_two_consecutive_timeouts_switch_autodraft_on_and_tell_the_service() -> None:
    s = replace(LIVE, order=(T1, T2), picks_per_team=3)  # snake: T1, T2, T2, T1, T1, T2
    s = timeout(s, now_ms=T0 + CLOCK).state  # T1 times out
    s = make_pick(s, team_id=T2, pick_no=2, driver_id=110, now_ms=T0 + CLOCK + 1).state
    s = make_pick(s, team_id=T2, pick_no=3, driver_id=109, now_ms=T0 + CLOCK + 2).state
    assert s.deadline_ms is not None
    t = timeout(s, now_ms=s.deadline_ms)  # T1's second in a row
    assert t.state.timeouts_of(T1) == 2 and T1 in t.state.autodraft
    assert [(n.type, n.data) for n in t.notices] == [
        ("autodraft", {"team_id": T1, "enabled": True, "reason": "timeouts"})
    ]
    assert due(t.state, s.deadline_ms) == "autodraft"  # T1 is on the clock again (pick 5)


def test_a_user_pick_between_timeouts_resets_the_count() -> None:
    s = replace(LIVE, order=(T1, T2), picks_per_team=3)
    s = timeout(s, now_ms=T0 + CLOCK).state
    s = picked(s, 110, 109)
    s = make_pick(s, team_id=T1, pick_no=4, driver_id=108, now_ms=T0 + CLOCK + 5).state
    assert s.timeouts_of(T1) == 0


@pytest.mark.parametrize(
    ("state", "now", "error"),
    [
        (LIVE, T0 + CLOCK - 1, Conflict),  # the clock has not run out
        (pause(LIVE, now_ms=T0).state, T0 + CLOCK, DraftNotLive),
        (scheduled(), T0 + CLOCK, DraftNotLive),
        (LIVE, LOCK, DraftLocked),
    ],
)
def test_timeout_errors(state: DraftState, now: int, error: type[DraftroomError]) -> None:
    with pytest.raises(error):
        timeout(state, now_ms=now)


def test_autodraft_pick_only_for_an_autodraft_team() -> None:
    with pytest.raises(Conflict):
        autodraft_pick(LIVE, now_ms=T0)
    t = autodraft_pick(replace(LIVE, autodraft=frozenset({T1})), now_ms=T0, ranking=[103])
    assert t.state.picks[0].driver_id == 103 and t.state.picks[0].by == "auto"
    assert t.state.timeouts_of(T1) == 0


@pytest.mark.parametrize(
    ("state", "team", "enabled", "notice", "timeouts_after"),
    [
        (LIVE, T2, True, True, 0),
        (replace(LIVE, autodraft=frozenset({T2})), T2, True, False, 0),  # no-op
        (replace(LIVE, autodraft=frozenset({T2}), timeouts=((T2, 2),)), T2, False, True, 0),
        (replace(LIVE, timeouts=((T2, 1),)), T2, False, False, 1),  # already off: no-op
        (scheduled(), T3, True, True, 0),
    ],
)
def test_set_autodraft(
    state: DraftState, team: int, enabled: bool, notice: bool, timeouts_after: int
) -> None:
    t = set_autodraft(state, team_id=team, enabled=enabled, now_ms=T0)
    assert (team in t.state.autodraft) == enabled
    assert t.events == () and t.state.seq == state.seq
    assert bool(t.notices) == notice
    if notice:
        assert t.notices[0].data == {"team_id": team, "enabled": enabled, "reason": "owner"}
    assert t.state.timeouts_of(team) == timeouts_after


@pytest.mark.parametrize(
    ("state", "team", "now", "error"),
    [
        (LIVE, 99, T0, ValidationFailed),
        (picked(LIVE, 101, 102, 103, 104, 105, 106), T1, T0, DraftNotLive),
        (cancel(LIVE, now_ms=T0).state, T1, T0, DraftNotLive),
        (LIVE, T1, LOCK, DraftLocked),
    ],
)
def test_set_autodraft_errors(
    state: DraftState, team: int, now: int, error: type[DraftroomError]
) -> None:
    with pytest.raises(error):
        set_autodraft(state, team_id=team, enabled=True, now_ms=now)


# --- pause, resume, undo, cancel --------------------------------------------------------------


def test_pause_freezes_the_clock_keeping_the_remaining_time() -> None:
    t = pause(LIVE, now_ms=T0 + 15_000)
    assert [(e.type, e.data) for e in t.events] == [("draft:paused", {"remaining_ms": 45_000})]
    assert (t.state.status, t.state.deadline_ms, t.state.remaining_ms) == ("paused", None, 45_000)
    assert remaining_ms(t.state, T0 + 999_999) == 45_000


@pytest.mark.parametrize(
    ("remaining", "expected_ms"), [(45_000, 45_000), (10_000, 10_000), (3_000, 10_000), (0, 10_000)]
)
def test_resume_gives_the_remaining_time_at_least_ten_seconds(
    remaining: int, expected_ms: int
) -> None:
    paused = replace(LIVE, status="paused", deadline_ms=None, remaining_ms=remaining)
    now = T0 + 500_000
    t = resume(paused, now_ms=now)
    assert t.state.status == "live" and t.state.remaining_ms is None
    assert [(e.type, e.data) for e in t.events] == [
        ("draft:resumed", {}),
        (
            "draft:turn",
            {
                "pick_no": 1,
                "round": 1,
                "team_id": T1,
                "deadline": now + expected_ms,
                "server_now": now,
            },
        ),
    ]
    assert_seq_follows(paused, t)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: pause(scheduled(), now_ms=T0), DraftNotLive),
        (lambda: pause(pause(LIVE, now_ms=T0).state, now_ms=T0), DraftNotLive),
        (lambda: pause(LIVE, now_ms=LOCK), DraftLocked),
        (lambda: resume(LIVE, now_ms=T0), Conflict),
        (lambda: resume(scheduled(), now_ms=T0), Conflict),
        (lambda: resume(pause(LIVE, now_ms=T0).state, now_ms=LOCK), DraftLocked),
        (lambda: undo(LIVE, now_ms=T0), Conflict),  # nothing to undo
        (lambda: undo(scheduled(), now_ms=T0), DraftNotLive),
        (lambda: undo(picked(LIVE, 101, 102, 103, 104, 105, 106), now_ms=T0), DraftNotLive),
        (lambda: undo(AFTER_ONE, now_ms=LOCK), DraftLocked),
        (lambda: cancel(picked(LIVE, 101, 102, 103, 104, 105, 106), now_ms=T0), Conflict),
        (lambda: cancel(cancel(LIVE, now_ms=T0).state, now_ms=T0), Conflict),
    ],
)
def test_lifecycle_errors(call: Callable[[], Transition], error: type[DraftroomError]) -> None:
    with pytest.raises(error):
        call()


def test_undo_puts_that_team_back_on_a_full_clock() -> None:
    before = picked(LIVE, 101, 102)
    now = T0 + 30_000
    t = undo(before, now_ms=now)
    assert [p.driver_id for p in t.state.picks] == [101]
    assert [(e.type, e.data) for e in t.events] == [
        ("draft:undo", {"pick_no": 2}),
        (
            "draft:turn",
            {"pick_no": 2, "round": 1, "team_id": T2, "deadline": now + CLOCK, "server_now": now},
        ),
    ]
    assert_seq_follows(before, t)


def test_undo_while_paused_keeps_a_full_clock_for_the_resume() -> None:
    before = pause(picked(LIVE, 101), now_ms=T0 + 59_000).state
    t = undo(before, now_ms=T0 + 70_000)
    assert kinds(t) == ["draft:undo"]
    assert (t.state.status, t.state.remaining_ms, t.state.on_the_clock) == ("paused", CLOCK, T1)


@pytest.mark.parametrize("state", [scheduled(), LIVE, pause(LIVE, now_ms=T0).state])
def test_cancel_from_any_state_but_complete(state: DraftState) -> None:
    t = cancel(state, now_ms=LOCK + 1)
    assert [(e.type, e.data) for e in t.events] == [("draft:cancelled", {})]
    assert (t.state.status, t.state.deadline_ms, t.state.remaining_ms) == ("cancelled", None, None)


# --- lock ------------------------------------------------------------------------------------


@pytest.mark.parametrize("state", [AFTER_ONE, pause(AFTER_ONE, now_ms=T0 + 5).state])
def test_lock_completes_a_live_or_paused_draft_at_once_by_autopick(state: DraftState) -> None:
    t = complete_at_lock(state, now_ms=LOCK, queues={T3: [110]}, ranking=[105, 104])
    assert kinds(t) == ["draft:pick"] * 5 + ["draft:complete"]
    assert [(p.driver_id, p.by) for p in t.state.picks[1:]] == [
        (105, "auto"), (110, "auto"), (104, "auto"), (102, "auto"), (103, "auto"),
    ]  # fmt: skip
    assert t.state.status == "complete" and t.state.deadline_ms is None
    assert_seq_follows(state, t)


@pytest.mark.parametrize(
    ("state", "now", "error"),
    [(LIVE, LOCK - 1, Conflict), (scheduled(), LOCK, DraftNotLive)],
)
def test_complete_at_lock_errors(state: DraftState, now: int, error: type[DraftroomError]) -> None:
    with pytest.raises(error):
        complete_at_lock(state, now_ms=now)


# --- the runner's view: due, next_due_ms, advance ---------------------------------------------


@pytest.mark.parametrize(
    ("state", "now", "expected_due", "expected_next"),
    [
        (scheduled(), T0, None, None),
        (scheduled(opens_at_ms=T0 + 5), T0, None, T0 + 5),
        (scheduled(opens_at_ms=T0 + 5), T0 + 5, "start", T0 + 5),
        (replace(scheduled(opens_at_ms=T0), locks_at_ms=T0), T0, None, None),
        (LIVE, T0 + 1, None, T0 + CLOCK),
        (LIVE, T0 + CLOCK, "timeout", T0 + CLOCK),
        (replace(LIVE, locks_at_ms=T0 + 10), T0 + 1, None, T0 + 10),
        (replace(LIVE, autodraft=frozenset({T1})), T0, "autodraft", T0),
        (replace(LIVE, autodraft=frozenset({T2})), T0, None, T0 + CLOCK),
        (live(draft_type="auto"), T0, "autodraft", T0),
        (LIVE, LOCK, "lock", LOCK),
        (pause(LIVE, now_ms=T0).state, T0 + CLOCK, None, LOCK),
        (pause(LIVE, now_ms=T0).state, LOCK, "lock", LOCK),
        (cancel(LIVE, now_ms=T0).state, LOCK, None, None),
    ],
)
def test_due_and_next_due(
    state: DraftState, now: int, expected_due: str | None, expected_next: int | None
) -> None:
    assert due(state, now) == expected_due
    assert next_due_ms(state, now) == expected_next


@pytest.mark.parametrize(
    ("status", "deadline", "opens", "locks", "expected"),
    [
        ("scheduled", None, None, None, None),
        ("scheduled", None, T0 + 5, None, T0 + 5),
        ("scheduled", None, T0 + 5, T0 + 9, T0 + 5),
        ("scheduled", None, T0 + 9, T0 + 9, None),  # opens at the lock: never
        ("live", T0 + 30, T0, T0 + 90, T0 + 30),
        ("live", T0 + 30, T0, T0 + 20, T0 + 20),  # the lock comes first
        ("live", None, T0, None, None),
        ("paused", None, T0, T0 + 90, T0 + 90),
        ("paused", T0 + 30, T0, None, None),  # a paused clock has no deadline
        ("complete", T0 + 30, T0, T0 + 90, None),
        ("cancelled", None, T0 + 5, T0 + 90, None),
    ],
)
def test_clock_due_from_the_clock_fields(
    status: str, deadline: int | None, opens: int | None, locks: int | None, expected: int | None
) -> None:
    assert clock_due_ms(status, deadline, opens, locks) == expected


@pytest.mark.parametrize(
    "state",
    [
        scheduled(opens_at_ms=T0 + 5),
        LIVE,
        replace(LIVE, locks_at_ms=T0 + 10),
        pause(LIVE, now_ms=T0).state,
        cancel(LIVE, now_ms=T0).state,
    ],
)
def test_clock_due_equals_next_due_when_nothing_is_due(state: DraftState) -> None:
    assert due(state, T0) is None
    fields = (state.status, state.deadline_ms, state.opens_at_ms, state.locks_at_ms)
    assert clock_due_ms(*fields) == next_due_ms(state, T0)


def test_an_auto_draft_completes_the_moment_it_opens() -> None:
    before = scheduled(draft_type="auto", opens_at_ms=T0)
    t = advance(before, now_ms=T0, queues={T2: [110]}, ranking=[101, 102, 103, 104, 105])
    assert t.state.status == "complete"
    assert [(p.team_id, p.driver_id, p.by) for p in t.state.picks] == [
        (T1, 101, "auto"), (T2, 110, "auto"), (T3, 102, "auto"),
        (T3, 103, "auto"), (T2, 104, "auto"), (T1, 105, "auto"),
    ]  # fmt: skip
    assert kinds(t)[:2] == ["draft:started", "draft:turn"] and kinds(t)[-1] == "draft:complete"
    assert_seq_follows(before, t)


def test_advance_picks_for_autodraft_teams_as_soon_as_they_are_on_the_clock() -> None:
    s = replace(LIVE, autodraft=frozenset({T2, T3}))
    s = make_pick(s, team_id=T1, pick_no=1, driver_id=101, now_ms=T0 + 1).state
    t = advance(s, now_ms=T0 + 1, ranking=[109, 108, 107])
    assert [(p.team_id, p.driver_id, p.by) for p in t.state.picks[1:]] == [
        (T2, 109, "auto"), (T3, 108, "auto"), (T3, 107, "auto"), (T2, 102, "auto"),
    ]  # fmt: skip
    assert t.state.on_the_clock == T1 and t.state.deadline_ms == T0 + 1 + CLOCK
    assert due(t.state, T0 + 1) is None
    assert kinds(t) == ["draft:pick", "draft:turn"] * 4


def test_advance_with_nothing_due_changes_nothing() -> None:
    t = advance(LIVE, now_ms=T0 + 1)
    assert t == Transition(LIVE, (), ())


# --- values -------------------------------------------------------------------------------------


def test_state_round_trips_through_a_dict() -> None:
    s = replace(picked(LIVE, 101, 104), timeouts=((T3, 1),), autodraft=frozenset({T2}))
    assert state_from_dict(s.to_dict()) == s


def test_current_and_remaining_for_the_snapshot() -> None:
    assert LIVE.current(T0 + 1000) == {
        "pick_no": 1, "round": 1, "team_id": T1,
        "deadline": T0 + CLOCK, "remaining_ms": CLOCK - 1000,
    }  # fmt: skip
    assert remaining_ms(LIVE, T0 + CLOCK + 5) == 0
    assert scheduled().current(T0) is None and remaining_ms(scheduled(), T0) is None


def test_event_to_dict_uses_the_log_field_names() -> None:
    e = Event(7, "draft:undo", {"pick_no": 3}, T0)
    assert e.to_dict() == {"seq": 7, "type": "draft:undo", "data": {"pick_no": 3}, "at": T0}

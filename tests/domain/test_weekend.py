"""Race-weekend times that drafts follow (pure rules, table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from draftroom.domain import draft
from draftroom.domain.draft import new_draft
from draftroom.domain.weekend import default_opens_at, lock_time, moved_opens_at
from draftroom.errors import DraftNotLive, ValidationFailed

QUALI = datetime(2024, 4, 20, 7, 0, tzinfo=UTC)  # China 2024
SPRINT_QUALI = datetime(2024, 4, 19, 7, 30, tzinfo=UTC)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("qualifying", "sprint_qualifying", "expected"),
    [
        (QUALI, None, QUALI),  # a normal weekend locks at qualifying
        (QUALI, SPRINT_QUALI, SPRINT_QUALI),  # a sprint weekend at sprint qualifying
        (QUALI, QUALI + HOUR, QUALI),  # whichever comes first
    ],
)
def test_lock_time(
    qualifying: datetime, sprint_qualifying: datetime | None, expected: datetime
) -> None:
    assert lock_time(qualifying, sprint_qualifying) == expected


@pytest.mark.parametrize(
    ("hours", "expected"), [(0, None), (48, SPRINT_QUALI - 48 * HOUR), (1, SPRINT_QUALI - HOUR)]
)
def test_default_opens_at_follows_the_lock(hours: int, expected: datetime | None) -> None:
    assert default_opens_at(SPRINT_QUALI, hours) == expected


@pytest.mark.parametrize(
    ("opens", "old", "new", "expected"),
    [
        (None, QUALI, QUALI + HOUR, None),
        (QUALI - 48 * HOUR, QUALI, QUALI + 24 * HOUR, QUALI - 24 * HOUR),
        (QUALI - 2 * HOUR, QUALI, QUALI - 5 * HOUR, QUALI - 7 * HOUR),
    ],
)
def test_moved_opens_at_keeps_the_distance(
    opens: datetime | None, old: datetime, new: datetime, expected: datetime | None
) -> None:
    assert moved_opens_at(opens, old, new) == expected


T = 1_700_000_000_000
MIN = 60_000


def _state(opens: int | None = T + MIN, locks: int = T + 60 * MIN) -> draft.DraftState:
    return new_draft(
        order=(1, 2), pool=range(100, 110), pick_seconds=60, picks_per_team=2,
        opens_at_ms=opens, locks_at_ms=locks,
    )  # fmt: skip


def test_reschedule_moves_the_times_with_an_event() -> None:
    tr = draft.reschedule(_state(), opens_at_ms=T + 5 * MIN, locks_at_ms=T + 90 * MIN, now_ms=T)
    assert (tr.state.opens_at_ms, tr.state.locks_at_ms) == (T + 5 * MIN, T + 90 * MIN)
    assert [(e.type, e.data) for e in tr.events] == [
        ("draft:rescheduled", {"opens_at": T + 5 * MIN, "locks_at": T + 90 * MIN})
    ]
    assert tr.state.seq == 1 and tr.state.status == "scheduled"


def test_reschedule_to_the_same_times_is_a_no_op() -> None:
    state = _state()
    tr = draft.reschedule(state, opens_at_ms=T + MIN, locks_at_ms=T + 60 * MIN, now_ms=T)
    assert tr.state == state and tr.events == ()


def test_a_live_draft_past_its_new_lock_completes_by_autopick() -> None:
    live = draft.start(_state(opens=None), now_ms=T).state
    tr = draft.reschedule(live, opens_at_ms=None, locks_at_ms=T + MIN, now_ms=T + 2 * MIN)
    assert draft.due(tr.state, T + 2 * MIN) == "lock"
    done = draft.advance(tr.state, now_ms=T + 2 * MIN, ranking=tuple(range(100, 110)))
    assert done.state.status == "complete" and len(done.state.picks) == 4
    assert all(p.by == "auto" for p in done.state.picks)


def test_a_scheduled_draft_whose_opening_and_lock_passed_starts_then_locks() -> None:
    tr = draft.reschedule(_state(), opens_at_ms=T - 2 * MIN, locks_at_ms=T - MIN, now_ms=T)
    assert [e.type for e in tr.events] == ["draft:rescheduled", "draft:started"]
    assert draft.due(tr.state, T) == "lock"
    assert draft.advance(tr.state, now_ms=T, ranking=tuple(range(100, 110))).state.status == (
        "complete"
    )


@pytest.mark.parametrize("status", ["complete", "cancelled"])
def test_finished_drafts_do_not_move(status: str) -> None:
    from dataclasses import replace

    with pytest.raises(DraftNotLive):
        draft.reschedule(
            replace(_state(), status=status), opens_at_ms=None, locks_at_ms=T, now_ms=T
        )


def test_opens_must_precede_the_lock() -> None:
    with pytest.raises(ValidationFailed):
        draft.reschedule(_state(), opens_at_ms=T + 9 * MIN, locks_at_ms=T + 9 * MIN, now_ms=T)

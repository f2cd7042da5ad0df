"""A slow draft with quiet hours: deadlines skip them, a pause keeps only running time,
the snapshot's ``current`` says so, and the state survives a round trip (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from draftroom.domain.draft import (
    DraftState,
    make_pick,
    new_draft,
    pause,
    resume,
    start,
    state_from_dict,
)
from draftroom.domain.quiet_hours import QuietHours

BERLIN = QuietHours("23:00", "08:00", "Europe/Berlin")
H = 3_600_000


def ms(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp() * 1000)


def draft(pick_seconds: int = 86_400) -> DraftState:
    return new_draft(
        order=(1, 2), pool=range(101, 111), pick_seconds=pick_seconds, picks_per_team=2,
        locks_at_ms=ms("2026-12-31T00:00"), quiet_hours=BERLIN,
    )  # fmt: skip


def test_a_24_hour_clock_across_the_spring_dst_change() -> None:
    # Saturday 28 March 2026, 12:00 UTC (13:00 CET): 10 h to 23:00 CET, a quiet night that
    # ends at 08:00 CEST (06:00 UTC, 8 h of real time), then 14 h more: 20:00 UTC Sunday
    now = ms("2026-03-28T12:00")
    state, events, _ = start(draft(), now_ms=now)
    turn = next(e for e in events if e.type == "draft:turn")
    assert turn.data["deadline"] == ms("2026-03-29T20:00") == state.deadline_ms
    current = state.current(now)
    assert current is not None
    assert current["deadline_moved"] is True and current["quiet_now"] is False
    assert state.current(ms("2026-03-28T23:00"))["quiet_now"] is True  # 01:00 CEST
    assert state_from_dict(state.to_dict()) == state


def test_pause_keeps_only_the_running_time() -> None:
    now = ms("2026-06-01T20:00")  # 22:00 CEST, a 2 h clock: 1 h now, 1 h after 08:00
    state, _, _ = start(draft(pick_seconds=7200), now_ms=now)
    assert state.deadline_ms == ms("2026-06-02T07:00")
    paused, events, _ = pause(state, now_ms=ms("2026-06-01T22:00"))  # 00:00 CEST, quiet
    assert paused.remaining_ms == H
    assert events[-1].data["remaining_ms"] == H
    resumed, _, _ = resume(paused, now_ms=ms("2026-06-02T10:00"))  # 12:00 CEST
    assert resumed.deadline_ms == ms("2026-06-02T11:00")


def test_the_next_pick_gets_a_full_clock_that_skips_quiet_hours() -> None:
    state, _, _ = start(draft(pick_seconds=3600), now_ms=ms("2026-06-01T10:00"))
    team = state.on_the_clock
    assert team is not None
    after, _, _ = make_pick(state, team_id=team, pick_no=1, driver_id=101,
                            now_ms=ms("2026-06-01T20:30"))  # fmt: skip
    # 22:30 CEST: 30 min until 23:00, the other 30 min from 08:00 CEST (06:00 UTC)
    assert after.deadline_ms == ms("2026-06-02T06:30")

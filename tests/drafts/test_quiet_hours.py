"""A league's quiet hours through the real drafts service: the deadline skips them and the
snapshot says so; slow clocks up to 24 h are accepted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

HOUR_MS = 3_600_000


async def test_quiet_hours_move_the_deadline_and_the_snapshot_says_so(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.services.drafts import commands, snapshot
    from draftroom.services.drafts.creation import create_draft

    # quiet hours (UTC) from two minutes from now, for two hours: inside a 1 h clock
    begin = (datetime.now(UTC) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    quiet = {
        "start": begin.strftime("%H:%M"),
        "end": (begin + timedelta(hours=2)).strftime("%H:%M"),
        "tz": "UTC",
    }
    w = await world(teams=2, settings={"pick_seconds": 3600, "quiet_hours": quiet})
    draft_id = await create_draft(runtime, w.league_id, w.race_id)
    await commands.start_draft(runtime, draft_id, w.commissioner.id)
    turn = next(d for e, d, _, _ in runtime.notifier.emitted if e == "draft:turn")
    assert turn["deadline"] - turn["server_now"] == 3 * HOUR_MS  # 1 h of clock + 2 quiet
    state = await snapshot.draft_snapshot(runtime, draft_id, w.commissioner.id)
    assert state["quiet_hours"] == quiet
    assert state["pick_seconds"] == 3600
    assert state["current"]["deadline"] == turn["deadline"]
    assert state["current"]["deadline_moved"] is True
    assert state["current"]["quiet_now"] is False


async def test_without_quiet_hours_the_snapshot_has_none(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.services.drafts import commands, snapshot
    from draftroom.services.drafts.creation import create_draft

    w = await world(teams=2, settings={"pick_seconds": 86400})
    draft_id = await create_draft(runtime, w.league_id, w.race_id)
    await commands.start_draft(runtime, draft_id, w.commissioner.id)
    state = await snapshot.draft_snapshot(runtime, draft_id, w.commissioner.id)
    assert state["quiet_hours"] is None
    assert set(state["current"]) == {"pick_no", "round", "team_id", "deadline", "remaining_ms"}
    assert state["current"]["deadline"] - state["server_now"] > 86_000_000

"""The drafts service API that REST and the league namespace call (real PostgreSQL/Redis)."""

from __future__ import annotations

from typing import Any

import pytest

SNAPSHOT_KEYS = {
    "id", "league_id", "race_id", "status", "type", "pick_seconds", "picks_per_team", "order",
    "teams", "picks", "current", "opens_at", "locks_at", "seq", "server_now",
}  # fmt: skip


async def test_commands_broadcast_after_commit_and_queue_goes_to_the_owner(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.services.drafts import commands, snapshot
    from draftroom.services.drafts.creation import create_draft

    w = await world(teams=2)
    draft_id = await create_draft(runtime, w.league_id, w.race_id)
    state = await snapshot.draft_snapshot(runtime, draft_id, w.users[1].id)
    assert set(state) >= SNAPSHOT_KEYS
    assert state["me"]["team_id"] == w.team_of[w.users[1].id]
    summary = await commands.start_draft(runtime, draft_id, w.commissioner.id)
    assert summary["status"] == "live" and summary["seq"] == 2
    ns = f"/league/{w.league_id}"
    emitted = [(e, d, n, r) for e, d, n, r in runtime.notifier.emitted if n == ns]
    draft_events = [(e, d) for e, d, n, r in emitted if e.startswith("draft:") and r is None]
    assert [e for e, _ in draft_events] == ["draft:state", "draft:started", "draft:turn"]
    started = draft_events[1][1]
    assert (
        started["draft_id"] == draft_id and started["seq"] == 1 and isinstance(started["at"], int)
    )
    owner = w.owner(state["order"][1])
    body = await commands.set_queue(runtime, draft_id, owner.id, [w.drivers[3]])
    assert ("queue", body, ns, f"user:{owner.id}") in runtime.notifier.emitted
    notified = [(d["kind"], r) for e, d, n, r in runtime.notifier.emitted if e == "notification"]
    assert ("draft_opened", f"user:{w.users[0].id}") in notified
    assert ("draft_opened", f"user:{w.users[1].id}") in notified


async def test_current_draft_id_prefers_live_then_scheduled_then_complete(
    runtime: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.db.engine import DB
    from draftroom.services.drafts import commands, snapshot
    from draftroom.services.drafts.creation import create_draft

    w = await world(teams=2, settings={"draft_type": "auto"})
    assert await snapshot.current_draft_id(w.league_id) is None
    first = await create_draft(runtime, w.league_id, w.races[0])
    assert await snapshot.current_draft_id(w.league_id) == first
    await commands.start_draft(runtime, first, w.commissioner.id)  # auto: completes at once
    assert (await snapshot.draft_snapshot(runtime, first))["status"] == "complete"
    assert await snapshot.current_draft_id(w.league_id) == first
    second = await create_draft(runtime, w.league_id, w.races[1])
    assert await snapshot.current_draft_id(w.league_id) == second
    await DB.pool.execute("UPDATE draft SET status = 'live' WHERE id = $1", first)
    assert await snapshot.current_draft_id(w.league_id) == first


async def test_events_after_replays_or_asks_for_the_state(
    runtime: Any, world: Any, no_local_supervisor: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from draftroom.errors import NotFound
    from draftroom.services.drafts import commands, snapshot
    from draftroom.services.drafts.creation import create_draft

    w = await world(teams=2, settings={"draft_type": "auto"})
    draft_id = await create_draft(runtime, w.league_id, w.race_id)
    await commands.start_draft(runtime, draft_id, w.commissioner.id)
    log = await snapshot.events_after(draft_id, 0)
    assert log is not None
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert await snapshot.events_after(draft_id, len(log)) == []
    tail = await snapshot.events_after(draft_id, len(log) - 1)
    assert tail is not None and [e["type"] for e in tail] == ["draft:complete"]
    monkeypatch.setattr(snapshot, "MAX_REPLAY", 3)
    assert await snapshot.events_after(draft_id, 0) is None
    with pytest.raises(NotFound):
        await snapshot.events_after(9999, 0)
    with pytest.raises(NotFound):
        await snapshot.draft_league_id(runtime, 9999)

"""The usual commit without the row lock: read, then one statement that writes only if the
draft row is still the version read; anything else takes the lock (services/drafts/commit.py,
db/queries/drafts.py). Real PostgreSQL, real races."""

from __future__ import annotations

import asyncio
import collections
from typing import Any

import pytest

from draftroom.db.queries import drafts as store
from draftroom.errors import DraftroomError
from draftroom.metrics import DRAFT_COMMIT_LOCKED
from draftroom.services.drafts import commands, snapshot
from draftroom.services.drafts.commit import now_ms
from draftroom.services.drafts.creation import create_draft


def locked(reason: str) -> float:
    """How many commits took the row lock for ``reason`` so far."""
    return DRAFT_COMMIT_LOCKED.labels(reason)._value.get()


async def live_draft(
    runtime: Any, world: Any, monkeypatch: pytest.MonkeyPatch
) -> tuple[Any, int, list[int]]:
    """A live draft of 4 teams whose owners are all in the room (so a pick notifies
    nobody and needs no row lock)."""
    w = await world(teams=4)
    draft_id = await create_draft(runtime, w.league_id, w.race_id)
    await commands.start_draft(runtime, draft_id, w.commissioner.id)
    order = (await snapshot.draft_snapshot(runtime, draft_id))["order"]
    monkeypatch.setattr(runtime.live, "online", lambda league_id: frozenset(order))
    return w, draft_id, order


async def stored(draft_id: int) -> tuple[int, list[tuple[int, int]]]:
    """The draft's seq and its stored ``(pick_no, driver)``."""
    seq = await store.pool().fetchval("SELECT seq FROM draft WHERE id = $1", draft_id)
    rows = await store.pool().fetch(
        "SELECT pick_no, driver FROM pick WHERE draft = $1 ORDER BY pick_no", draft_id
    )
    return seq, [(r["pick_no"], r["driver"]) for r in rows]


async def test_a_write_after_another_commit_changes_nothing(
    runtime: Any, world: Any, no_local_supervisor: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from draftroom.domain import draft

    w, draft_id, order = await live_draft(runtime, world, monkeypatch)
    async with store.pool().acquire() as conn:
        read = await store.load(conn, draft_id, for_update=False)
        pick = draft.make_pick(
            read.state, team_id=order[0], pick_no=1, driver_id=w.drivers[0], now_ms=now_ms()
        )
        assert store.fits_one_statement(read, pick)
        # another transaction touches the draft row (a queue save bumps it) after the read
        await commands.set_queue(runtime, draft_id, w.owner(order[1]).id, [w.drivers[5]])
        before = await stored(draft_id)
        assert await store.persist_if_unchanged(conn, read, pick) is False
        assert await stored(draft_id) == before, "nothing of the stale write landed"
        fresh = await store.load(conn, draft_id, for_update=False)
        again = draft.make_pick(
            fresh.state, team_id=order[0], pick_no=1, driver_id=w.drivers[0], now_ms=now_ms()
        )
        assert await store.persist_if_unchanged(conn, fresh, again) is True
    seq, picks = await stored(draft_id)
    assert picks == [(1, w.drivers[0])] and seq == before[0] + 2  # draft:pick, draft:turn


async def test_a_commit_that_loses_the_race_retries_under_the_lock(
    runtime: Any, world: Any, no_local_supervisor: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    w, draft_id, order = await live_draft(runtime, world, monkeypatch)
    real_write = store.persist_if_unchanged
    interfered: list[int] = []

    async def another_commit_first(conn: Any, loaded: Any, tr: Any) -> bool:
        if not interfered:  # the commissioner picks for the team between read and write
            interfered.append(1)
            await commands.force_pick(runtime, draft_id, w.commissioner.id, 1, w.drivers[1])
        return await real_write(conn, loaded, tr)

    monkeypatch.setattr(store, "persist_if_unchanged", another_commit_first)
    changed = locked("changed")
    owner = w.owner(order[0])
    with pytest.raises(DraftroomError) as refused:  # judged again on the newer state
        await commands.make_pick(runtime, draft_id, owner.id, 1, w.drivers[0])
    assert refused.value.code == "pick_taken"
    assert locked("changed") == changed + 1
    seq, picks = await stored(draft_id)
    assert picks == [(1, w.drivers[1])], "only the commissioner's pick landed"
    events = await store.fetch_events(draft_id, 0, 100)
    assert [e.seq for e in events] == list(range(1, seq + 1))


async def test_racing_picks_of_one_slot_land_exactly_once(
    runtime: Any, world: Any, no_local_supervisor: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    w, draft_id, order = await live_draft(runtime, world, monkeypatch)
    owner = w.owner(order[0])
    calls = [
        commands.make_pick(runtime, draft_id, owner.id, 1, w.drivers[i]) for i in range(6)
    ] + [commands.force_pick(runtime, draft_id, w.commissioner.id, 1, w.drivers[10 + i])
         for i in range(4)]  # fmt: skip
    answers = await asyncio.gather(*calls, return_exceptions=True)
    won = [a for a in answers if isinstance(a, dict)]
    lost = collections.Counter(a.code for a in answers if isinstance(a, DraftroomError))
    assert len(won) == 1 and set(lost) <= {"pick_taken"} and sum(lost.values()) == 9
    seq, picks = await stored(draft_id)
    assert picks == [(1, won[0]["driver_id"])]
    events = await store.fetch_events(draft_id, 0, 100)
    assert [e.seq for e in events] == list(range(1, seq + 1))
    assert [e.type for e in events].count("draft:pick") == 1


async def test_an_undo_takes_the_lock_and_a_pick_does_not(
    runtime: Any, world: Any, no_local_supervisor: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    w, draft_id, order = await live_draft(runtime, world, monkeypatch)
    shape, changed = locked("shape"), locked("changed")
    await commands.make_pick(runtime, draft_id, w.owner(order[0]).id, 1, w.drivers[0])
    assert (locked("shape"), locked("changed")) == (shape, changed)
    await commands.undo_pick(runtime, draft_id, w.commissioner.id)
    assert locked("shape") == shape + 1
    _, picks = await stored(draft_id)
    assert picks == []
    again = await commands.make_pick(runtime, draft_id, w.owner(order[0]).id, 1, w.drivers[2])
    assert again["pick_no"] == 1 and (await stored(draft_id))[1] == [(1, w.drivers[2])]

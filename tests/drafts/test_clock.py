"""The server-side pick clock, driven by the in-process server's draft supervisor."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from typing import Any

from tests.drafts.conftest import assert_contiguous, create_draft, events, get_state, start
from tests.support.leagues import seed_reference
from tests.support.polling import wait_for

API = "/api/v1"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


async def expire_clock(redis: Any, league_id: int, draft_id: int, in_ms: int = 100) -> int:
    """Move the stored deadline to ``in_ms`` from now and wake the runner (test shortcut)."""
    from draftroom.db.engine import DB
    from tests.support.wakeups import send_wake

    deadline = now_ms() + in_ms
    await DB.pool.execute("UPDATE draft SET deadline_ms = $2 WHERE id = $1", draft_id, deadline)
    await send_wake(redis, league_id, draft_id)
    return deadline


async def picks_of(http: Any, w: Any, draft_id: int) -> list[dict[str, Any]]:
    r = await http.get(f"{API}/drafts/{draft_id}/picks", headers=w.commissioner.headers)
    return list(r.json())


async def test_timeout_autopicks_within_a_second_of_the_deadline(http: Any, world: Any) -> None:
    w = await world(teams=2, settings={"pick_seconds": 5})
    draft_id = (await create_draft(http, w))["id"]
    state = await start(http, w, draft_id)
    deadline = state["current"]["deadline"]
    assert 4500 <= deadline - state["server_now"] <= 5000

    async def auto_pick() -> Any:
        log = await events(http, w, draft_id)
        return next((e for e in log if e["type"] == "draft:pick"), None)

    pick = await wait_for(auto_pick, timeout_s=8)
    lateness = pick["at"] - deadline
    print(f"autopick lateness: {lateness} ms")
    assert pick["data"]["by"] == "auto"
    assert pick["data"]["driver_id"] == w.drivers[0]  # best by ranking: car number 1
    assert 0 <= lateness < 1000
    after = await get_state(http, w, draft_id)
    assert after["current"]["pick_no"] == 2
    assert after["current"]["deadline"] == pick["at"] + 5000  # full clock for the next team


async def test_pause_keeps_remaining_time_and_resume_gives_at_least_ten_seconds(
    http: Any, world: Any
) -> None:
    w = await world(teams=2, settings={"pick_seconds": 30})
    h = w.commissioner.headers
    draft_id = (await create_draft(http, w))["id"]
    await start(http, w, draft_id)
    await asyncio.sleep(1.0)
    paused = (await http.post(f"{API}/drafts/{draft_id}/pause", headers=h)).json()
    assert paused["status"] == "paused"
    remaining = paused["current"]["remaining_ms"]
    assert paused["current"]["deadline"] is None
    assert 28_000 <= remaining <= 29_300
    await asyncio.sleep(1.0)
    again = await get_state(http, w, draft_id)
    assert again["current"]["remaining_ms"] == remaining  # frozen
    resumed = (await http.post(f"{API}/drafts/{draft_id}/resume", headers=h)).json()
    assert resumed["status"] == "live"
    left = resumed["current"]["deadline"] - resumed["server_now"]
    assert remaining - 300 <= left <= remaining
    # short remaining time: resume gives at least 10 s
    w2 = await world(teams=2, settings={"pick_seconds": 5}, reference=(w.drivers, w.races))
    d2 = (await create_draft(http, w2))["id"]
    await start(http, w2, d2)
    h2 = w2.commissioner.headers
    assert (await http.post(f"{API}/drafts/{d2}/pause", headers=h2)).status_code == 200
    resumed = (await http.post(f"{API}/drafts/{d2}/resume", headers=h2)).json()
    assert resumed["current"]["deadline"] - resumed["server_now"] >= 9_900
    types = [e["type"] for e in await events(http, w, draft_id)]
    assert types == ["draft:started", "draft:turn", "draft:paused", "draft:resumed", "draft:turn"]


async def test_undo_puts_the_team_back_with_a_full_clock(http: Any, world: Any) -> None:
    w = await world(teams=2, settings={"pick_seconds": 30})
    draft_id = (await create_draft(http, w))["id"]
    order = (await start(http, w, draft_id))["order"]
    first = w.owner(order[0])
    r = await http.post(
        f"{API}/drafts/{draft_id}/picks",
        json={"pick_no": 1, "driver_id": w.drivers[3]},
        headers=first.headers,
    )
    assert r.status_code == 201
    await asyncio.sleep(0.5)
    state = (
        await http.post(f"{API}/drafts/{draft_id}/undo", headers=w.commissioner.headers)
    ).json()
    assert state["picks"] == []
    assert state["current"]["pick_no"] == 1 and state["current"]["team_id"] == order[0]
    assert state["current"]["deadline"] - state["server_now"] >= 29_800
    log = await events(http, w, draft_id)
    assert_contiguous(log)
    assert [e["type"] for e in log[-2:]] == ["draft:undo", "draft:turn"]
    assert log[-2]["data"]["pick_no"] == 1
    # the driver is available again
    r = await http.post(
        f"{API}/drafts/{draft_id}/picks",
        json={"pick_no": 1, "driver_id": w.drivers[3]},
        headers=first.headers,
    )
    assert r.status_code == 201


async def test_lock_time_completes_the_draft_by_autopick(http: Any, world: Any) -> None:
    reference = await seed_reference(qualifying_in=timedelta(seconds=3))
    w = await world(teams=3, settings={"pick_seconds": 60}, reference=reference)
    draft = await create_draft(http, w)
    draft_id, locks_at = draft["id"], draft["locks_at"]
    order = (await start(http, w, draft_id))["order"]
    r = await http.post(
        f"{API}/drafts/{draft_id}/picks",
        json={"pick_no": 1, "driver_id": w.drivers[5]},
        headers=w.owner(order[0]).headers,
    )
    assert r.status_code == 201

    async def complete() -> Any:
        state = await get_state(http, w, draft_id)
        return state if state["status"] == "complete" else None

    state = await wait_for(complete, timeout_s=6)
    picks = state["picks"]
    assert len(picks) == 6
    assert [p["by"] for p in picks] == ["user"] + ["auto"] * 5
    assert len({p["driver_id"] for p in picks}) == 6
    log = await events(http, w, draft_id)
    assert_contiguous(log)
    done = log[-1]
    assert done["type"] == "draft:complete"
    print(f"lock completion lateness: {done['at'] - locks_at} ms")
    assert 0 <= done["at"] - locks_at < 1000
    r = await http.post(f"{API}/drafts/{draft_id}/undo", headers=w.commissioner.headers)
    assert r.status_code == 409


async def test_autodraft_after_two_consecutive_timeouts(http: Any, world: Any, redis: Any) -> None:
    from draftroom.db.engine import DB

    w = await world(teams=2, settings={"pick_seconds": 30, "picks_per_team": 3})
    draft_id = (await create_draft(http, w))["id"]
    order = (await start(http, w, draft_id))["order"]
    slow, fast = w.owner(order[0]), w.owner(order[1])
    url = f"{API}/drafts/{draft_id}/picks"
    await expire_clock(redis, w.league_id, draft_id)
    await wait_for(lambda: _count(http, w, draft_id, 1))
    for pick_no in (2, 3):
        r = await http.post(
            url, json={"pick_no": pick_no, "driver_id": w.drivers[10 + pick_no]},
            headers=fast.headers,
        )  # fmt: skip
        assert r.status_code == 201
    state = await get_state(http, w, draft_id)
    assert state["teams"][0]["autodraft"] is False
    await expire_clock(redis, w.league_id, draft_id)
    picks = await wait_for(lambda: _count(http, w, draft_id, 5))
    assert [p["by"] for p in picks] == ["auto", "user", "user", "auto", "auto"]
    assert picks[4]["at"] == picks[3]["at"]  # autodraft picks at once
    state = await get_state(http, w, draft_id)
    autodraft = {t["id"]: t["autodraft"] for t in state["teams"]}
    assert autodraft == {order[0]: True, order[1]: False}
    assert state["current"]["team_id"] == order[1]
    kinds = await DB.pool.fetch(
        'SELECT kind, data FROM notification WHERE "user" = $1 ORDER BY id', slow.id
    )
    assert "autopicked" in [k["kind"] for k in kinds]
    r = await http.put(
        f"{API}/drafts/{draft_id}/autodraft", json={"enabled": False}, headers=slow.headers
    )
    assert r.json()["autodraft"] is False
    row = await DB.pool.fetchrow(
        "SELECT autodraft, consecutive_timeouts FROM draft_team WHERE draft = $1 AND team = $2",
        draft_id,
        order[0],
    )
    assert (row["autodraft"], row["consecutive_timeouts"]) == (False, 0)


async def _count(http: Any, w: Any, draft_id: int, n: int) -> Any:
    picks = await picks_of(http, w, draft_id)
    return picks if len(picks) >= n else None


async def test_auto_draft_type_completes_at_start(http: Any, world: Any) -> None:
    w = await world(teams=3, settings={"draft_type": "auto"})
    draft_id = (await create_draft(http, w))["id"]
    state = await start(http, w, draft_id)
    assert state["status"] == "complete"
    assert [p["by"] for p in state["picks"]] == ["auto"] * 6
    assert [p["driver_id"] for p in state["picks"]] == w.drivers[:6]


async def test_scheduled_draft_opens_at_opens_at_and_notifies(http: Any, world: Any) -> None:
    from datetime import UTC, datetime

    from draftroom.db.engine import DB

    w = await world(teams=2)
    opens_at = datetime.now(UTC) + timedelta(seconds=1)
    draft = await create_draft(http, w, opens_at=opens_at.isoformat())
    assert draft["opens_at"] is not None

    async def live() -> Any:
        log = await events(http, w, draft["id"])
        return log if log else None

    log = await wait_for(live, timeout_s=5)
    assert log[0]["type"] == "draft:started"
    print(f"open lateness: {log[0]['at'] - draft['opens_at']} ms")
    assert 0 <= log[0]["at"] - draft["opens_at"] < 1500
    rows = await DB.pool.fetch('SELECT "user", kind FROM notification ORDER BY id')
    opened = {r["user"] for r in rows if r["kind"] == "draft_opened"}
    assert opened == {u.id for u in w.users}
    on_clock = [r["user"] for r in rows if r["kind"] == "on_the_clock"]
    state = await get_state(http, w, draft["id"])
    assert on_clock == [w.owner(state["current"]["team_id"]).id]

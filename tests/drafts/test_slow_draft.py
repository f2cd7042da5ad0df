"""A slow draft (24 h clock) driven by the in-process server's draft clock: time is moved
through the stored deadline (a seam), never slept. On-the-clock and on-deck notifications
are stored once each, and the clock autopicks at the deadline."""

from __future__ import annotations

import json
from typing import Any

from tests.drafts.conftest import create_draft, events, start
from tests.drafts.test_clock import expire_clock
from tests.support.leagues import snake_team
from tests.support.polling import wait_for

API = "/api/v1"


async def notices(kinds: tuple[str, ...] = ("on_the_clock", "on_deck")) -> list[Any]:
    from draftroom.db.tables import Notification

    rows = await Notification.select(Notification.user, Notification.kind, Notification.data).where(
        Notification.kind.is_in(list(kinds))
    )
    return sorted((r["kind"], r["user"], json.loads(r["data"])["pick_no"]) for r in rows)


async def autopicked(http: Any, w: Any, draft_id: int, count: int) -> list[Any]:
    async def done() -> Any:
        log = await events(http, w, draft_id)
        picks = [e for e in log if e["type"] == "draft:pick"]
        return picks if len(picks) >= count else None

    picks: list[Any] = await wait_for(done, timeout_s=10, what=f"{count} autopicks")
    return picks


async def test_a_24_hour_clock_notifies_once_each_and_autopicks_at_the_deadline(
    http: Any, world: Any, redis: Any
) -> None:
    w = await world(teams=3, settings={"pick_seconds": 86400})
    draft_id = (await create_draft(http, w))["id"]
    state = await start(http, w, draft_id)
    order = state["order"]
    assert state["current"]["deadline"] - state["server_now"] > 86_000_000
    owner = {p: w.owner(snake_team(order, p)).id for p in range(1, 7)}  # 1A 2B 3C 4C 5B 6A
    # pick 1 on the clock: its owner is told, and the owner of pick 3 is on deck
    assert await notices() == sorted([("on_the_clock", owner[1], 1), ("on_deck", owner[3], 3)])

    # a pause and a resume put pick 1 on the clock again: nobody is told twice
    for action in ("pause", "resume"):
        r = await http.post(f"{API}/drafts/{draft_id}/{action}", headers=w.commissioner.headers)
        assert r.status_code == 200, r.text
    assert len(await notices()) == 2

    # the deadline passes (moved through the seam): the clock autopicks pick 1, pick 2 is
    # on; its team also has pick 3, so nobody new is on deck (pick 4 is C's, already up)
    deadline = await expire_clock(redis, w.league_id, draft_id)
    [pick] = await autopicked(http, w, draft_id, 1)
    assert pick["data"]["by"] == "auto" and pick["at"] >= deadline
    await wait_for(lambda: _count(3), timeout_s=5, what="pick 2 notice")
    await expire_clock(redis, w.league_id, draft_id)
    await autopicked(http, w, draft_id, 2)
    # pick 3 on the clock: its owner told; B (pick 5) is on deck
    await wait_for(lambda: _count(5), timeout_s=5, what="pick 3 notices")
    assert await notices() == sorted([
        ("on_the_clock", owner[1], 1), ("on_deck", owner[3], 3),
        ("on_the_clock", owner[2], 2),
        ("on_the_clock", owner[3], 3), ("on_deck", owner[5], 5),
    ])  # fmt: skip


async def _count(n: int) -> bool:
    return len(await notices()) >= n


async def test_slow_draft_notifications_can_be_switched_off(http: Any, world: Any) -> None:
    w = await world(teams=3, settings={"pick_seconds": 86400, "slow_draft_notifications": False})
    draft_id = (await create_draft(http, w))["id"]
    await start(http, w, draft_id)
    assert await notices() == []
    from draftroom.db.tables import Notification

    # the other notifications still go out
    assert await Notification.count().where(Notification.kind == "draft_opened") == 3


async def test_fast_drafts_have_no_on_deck_notice(http: Any, world: Any) -> None:
    w = await world(teams=3, settings={"pick_seconds": 60})
    draft_id = (await create_draft(http, w))["id"]
    state = await start(http, w, draft_id)
    first = w.owner(snake_team(state["order"], 1)).id
    assert await notices() == [("on_the_clock", first, 1)]

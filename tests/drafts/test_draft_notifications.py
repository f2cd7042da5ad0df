"""Draft notifications people want: one ``draft_opened`` per draft, titles that name the
league, data that links to the draft room, and nobody notified in a demo league."""

from __future__ import annotations

import json
from typing import Any

from tests.drafts.conftest import create_draft, get_state, start

API = "/api/v1"


async def stored(league_id: int) -> list[dict[str, Any]]:
    from draftroom.db.engine import DB

    rows = await DB.pool.fetch('SELECT "user", kind, title, data FROM notification ORDER BY id')
    return [
        {**dict(r), "data": json.loads(r["data"]) if isinstance(r["data"], str) else r["data"]}
        for r in rows
        if (json.loads(r["data"]) if isinstance(r["data"], str) else r["data"]).get("league_id")
        == league_id
    ]


async def league_name(league_id: int) -> str:
    from draftroom.db.engine import DB

    return str(await DB.pool.fetchval("SELECT name FROM league WHERE id = $1", league_id))


async def test_draft_notices_name_the_league_and_open_once(http: Any, world: Any) -> None:
    w = await world(teams=2)
    draft_id = (await create_draft(http, w))["id"]
    await start(http, w, draft_id)
    h = w.commissioner.headers
    assert (await http.post(f"{API}/drafts/{draft_id}/pause", headers=h)).status_code == 200
    assert (await http.post(f"{API}/drafts/{draft_id}/resume", headers=h)).status_code == 200
    name = await league_name(w.league_id)
    rows = await stored(w.league_id)
    opened = [r for r in rows if r["kind"] == "draft_opened"]
    assert sorted(r["user"] for r in opened) == sorted(u.id for u in w.users)  # once each
    for row in rows:
        assert row["title"].endswith(f" · {name}"), row
        assert row["data"]["league_name"] == name
        assert row["data"]["draft_id"] == draft_id  # the client links it to the draft room
    state = await get_state(http, w, draft_id)
    on_clock = [r for r in rows if r["kind"] == "on_the_clock"]
    assert [r["user"] for r in on_clock][:1] == [w.owner(state["current"]["team_id"]).id]
    assert on_clock[0]["title"] == f"You are on the clock · {name}"


async def test_nobody_in_a_demo_league_is_notified(http: Any, world: Any) -> None:
    from draftroom.db.engine import DB

    w = await world(teams=3, bots=1)
    await DB.pool.execute("UPDATE league SET is_demo = true WHERE id = $1", w.league_id)
    draft_id = (await create_draft(http, w))["id"]
    state = await start(http, w, draft_id)
    assert state["status"] == "live"
    assert await stored(w.league_id) == []

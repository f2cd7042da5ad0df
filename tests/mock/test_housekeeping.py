"""Housekeeping deletes a mock draft a day after it ended, with everything it created;
unfinished and recent mock drafts, real leagues and the bot accounts stay. Time moves
through ``housekeeping.run(now)``, never slept."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from draftroom.services import housekeeping
from tests.mock.conftest import counts
from tests.mock.test_bots import _run_mock


async def _rows_of(league_id: int) -> dict[str, int]:
    from draftroom.db.engine import DB

    sql = {
        "league": "SELECT count(*) FROM league WHERE id = $1",
        "team": "SELECT count(*) FROM team WHERE league = $1",
        "draft": "SELECT count(*) FROM draft WHERE league = $1",
        "draft_team": "SELECT count(*) FROM draft_team dt JOIN team t ON t.id = dt.team "
        "WHERE t.league = $1",
        "pick": "SELECT count(*) FROM pick p JOIN team t ON t.id = p.team WHERE t.league = $1",
        "draft_event": "SELECT count(*) FROM draft_event e WHERE e.draft IN "
        "(SELECT id FROM draft WHERE league = $1)",
        "chat_message": "SELECT count(*) FROM chat_message c WHERE c.draft IN "
        "(SELECT id FROM draft WHERE league = $1)",
        "mock_draft": "SELECT count(*) FROM mock_draft WHERE league = $1",
    }
    return {name: int(await DB.pool.fetchval(q, league_id)) for name, q in sql.items()}


async def test_mock_drafts_are_deleted_a_day_after_they_end(
    runtime: Any, make_user: Any, races: list[int], no_local_supervisor: None
) -> None:
    from draftroom.db.engine import DB
    from draftroom.services.leagues import create_league
    from draftroom.services.mock_drafts import create_mock_draft, list_mine

    alice = await make_user("alice")
    await _run_mock(runtime, alice.id, races[0], seed=1)  # complete, with picks and events
    [done] = await list_mine(alice.id)
    assert done["status"] == "complete"
    await DB.pool.execute(
        "INSERT INTO chat_message (draft, \"user\", text, created_at) VALUES ($1, $2, 'gg', now())",
        done["draft_id"],
        alice.id,
    )
    live = await create_mock_draft(runtime, alice.id, race_id=races[1], teams=2, pick_seconds=30)
    real = await create_league(
        alice.id, name="Real Pals", is_private=True, max_teams=2, team_name="Reals"
    )
    before = await _rows_of(done["league_id"])
    assert all(before.values()) and before["pick"] == 6, before
    ended = await DB.pool.fetchval("SELECT completed_at FROM draft WHERE id = $1", done["draft_id"])
    bots_before = await DB.pool.fetchval(
        "SELECT count(*) FROM account WHERE username LIKE 'mock-bot-%'"
    )

    report = await housekeeping.run(ended + timedelta(hours=23, minutes=59))
    assert report["mock_drafts"] == 0
    assert await _rows_of(done["league_id"]) == before

    report = await housekeeping.run(ended + timedelta(hours=24, minutes=1))
    assert report["mock_drafts"] == 1
    assert set((await _rows_of(done["league_id"])).values()) == {0}
    assert [m["draft_id"] for m in await list_mine(alice.id)] == [live["draft_id"]]
    assert (await _rows_of(real["id"]))["league"] == 1
    bots = await DB.pool.fetchval("SELECT count(*) FROM account WHERE username LIKE 'mock-bot-%'")
    assert bots == bots_before

    # an unfinished mock is kept until it could no longer run (its lock time) plus a day
    locks = await DB.pool.fetchval("SELECT locks_at FROM draft WHERE id = $1", live["draft_id"])
    assert (await housekeeping.run(locks + timedelta(hours=23)))["mock_drafts"] == 0
    assert (await housekeeping.run(locks + timedelta(hours=25)))["mock_drafts"] == 1
    assert await list_mine(alice.id) == []
    left = await counts()
    assert left["mock_draft"] == 0 and left["league"] == 1

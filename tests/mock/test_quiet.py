"""A mock draft notifies nobody and follows nothing of its race: starting it, a timeout, a
substitution of a drafted driver, the race moving or being cancelled leave it as it is,
with no notification stored (a real draft of the same race beside it is notified)."""

from __future__ import annotations

from typing import Any


async def test_mock_drafts_notify_nobody_and_ignore_race_changes(
    runtime: Any, make_user: Any, world: Any, no_local_supervisor: None
) -> None:
    from draftroom.db.convert import jsonb
    from draftroom.db.engine import DB
    from draftroom.services import entries
    from draftroom.services.drafts.commands import make_pick, start_draft
    from draftroom.services.drafts.commit import run_due
    from draftroom.services.drafts.creation import create_draft
    from draftroom.services.mock_drafts import create_mock_draft
    from draftroom.services.race_changes import edit_race

    w = await world(teams=2)  # a real league of the same season, beside the mock
    alice = await make_user("alice")
    race_id = w.race_id
    mock = await create_mock_draft(
        runtime, alice.id, race_id=race_id, teams=2, pick_seconds=5, my_slot=1
    )
    real = await create_draft(runtime, w.league_id, race_id)
    for draft_id, owner in ((mock["draft_id"], alice.id), (real, w.commissioner.id)):
        await start_draft(runtime, draft_id, owner)
    first = w.drivers[0]
    await make_pick(runtime, mock["draft_id"], alice.id, 1, first)
    order = jsonb(await DB.pool.fetchval('SELECT "order" FROM draft WHERE id = $1', real))
    await make_pick(runtime, real, w.owner(order[0]).id, 1, first)  # the same driver
    # the bot's clock runs out twice over: autopicks, then autodraft (two timeouts) notices
    await DB.pool.execute(
        "UPDATE draft SET deadline_ms = 0 WHERE id = ANY($1::int[])", [mock["draft_id"], real]
    )
    for draft_id in (mock["draft_id"], real):
        await run_due(runtime, draft_id)
    await entries.record_change(runtime, race_id, first)  # withdrawn
    locks = await DB.pool.fetchval("SELECT locks_at FROM draft WHERE id = $1", mock["draft_id"])
    await DB.pool.execute(
        "UPDATE race SET qualifying_at = qualifying_at + interval '1 day' WHERE id = $1", race_id
    )
    await edit_race(runtime, race_id, {"status": "cancelled"})

    mock_row = await DB.pool.fetchrow(
        "SELECT status, locks_at FROM draft WHERE id = $1", mock["draft_id"]
    )
    assert mock_row["status"] == "live" and mock_row["locks_at"] == locks
    assert await DB.pool.fetchval("SELECT status FROM draft WHERE id = $1", real) == "cancelled"
    told = await DB.pool.fetch('SELECT "user", kind, data FROM notification')
    assert all(r["user"] != alice.id for r in told), [dict(r) for r in told]
    assert {r["kind"] for r in told} >= {"draft_opened", "substitution", "draft_cancelled"}, told

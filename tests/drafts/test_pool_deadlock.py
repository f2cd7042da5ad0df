"""More concurrent autopicking commits than pooled connections must all complete.

Regression: the autopick ranking used to be computed inside the pick transaction on a
*second* pool connection; once every pooled connection held a draft row and waited for a
second one, the process stalled (seen under `draftroom loadtest`)."""

from __future__ import annotations

import asyncio
from typing import Any

from draftroom.db.engine import DB
from draftroom.services.drafts import commands
from draftroom.services.drafts.creation import create_draft
from draftroom.services.drafts.snapshot import draft_snapshot
from tests.drafts.conftest import paused_local_supervisors
from tests.support.leagues import make_league, seed_reference
from tests.support.server import forget_id_caches


async def test_concurrent_autopicks_beyond_pool_size_complete(
    http: Any, make_user: Any, runtime: Any
) -> None:
    pool_size = DB.pool.get_max_size()
    reference = await seed_reference()
    drafts = []
    for _ in range(pool_size + 4):
        world = await make_league(make_user, teams=2, reference=reference)
        draft_id = await create_draft(runtime, world.league_id, world.race_id)
        await commands.start_draft(runtime, draft_id, world.commissioner.id)
        drafts.append((world, draft_id))
    async with paused_local_supervisors():
        forget_id_caches(runtime)  # every autopick below needs the ranking queries

        async def switch_on(world: Any, draft_id: int) -> Any:
            snap = await draft_snapshot(runtime, draft_id)
            owner = world.owner(snap["current"]["team_id"])
            return await commands.set_autodraft(runtime, draft_id, owner.id, True)

        results = await asyncio.wait_for(
            asyncio.gather(*(switch_on(w, d) for w, d in drafts)), timeout=30
        )
    assert len(results) == len(drafts)
    for _world, draft_id in drafts:
        snap = await draft_snapshot(runtime, draft_id)
        assert snap["picks"] and snap["picks"][0]["by"] == "auto"

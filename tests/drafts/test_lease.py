"""The owner lease and what the runner does when it loses it."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.drafts.conftest import assert_contiguous, create_draft, events, start
from tests.support.polling import wait_for


async def test_lease_is_exclusive_renewable_and_expires(redis: Any) -> None:
    from draftroom.coordination.lock import OwnerLease

    mine = OwnerLease(redis, "test:lease:exclusive", 600)
    theirs = OwnerLease(redis, "test:lease:exclusive", 600)
    assert await mine.acquire()
    assert not await theirs.acquire()
    assert await mine.owned() and not await theirs.owned()
    await asyncio.sleep(0.4)
    assert await mine.renew()
    await asyncio.sleep(0.4)
    assert not await theirs.acquire()  # renewed: still held after 0.8 s
    await asyncio.sleep(0.7)
    assert await theirs.acquire()  # expired
    assert not await mine.renew() and not await mine.owned()
    await mine.release()  # not ours: no-op
    assert await theirs.owned()
    await theirs.release()
    assert await redis.get("test:lease:exclusive") is None


async def test_a_lost_lease_is_taken_over_without_a_double_autopick(
    http: Any, world: Any, redis: Any
) -> None:
    from draftroom.db.engine import DB
    from tests.support.wakeups import send_wake

    w = await world(teams=2, settings={"pick_seconds": 30})
    draft_id = (await create_draft(http, w))["id"]
    await start(http, w, draft_id)
    await wait_for(lambda: redis.get(f"draft:{draft_id}:owner"))
    await redis.flushdb()  # as after a Redis restart: every lease is gone
    deadline = await DB.pool.fetchval("SELECT deadline_ms FROM draft WHERE id = $1", draft_id)
    await DB.pool.execute(
        "UPDATE draft SET deadline_ms = (extract(epoch from now()) * 1000)::bigint + 300 "
        "WHERE id = $1",
        draft_id,
    )
    await send_wake(redis, w.league_id, draft_id)
    assert deadline is not None

    async def picked() -> Any:
        log = await events(http, w, draft_id)
        return log if any(e["type"] == "draft:pick" for e in log) else None

    await wait_for(picked, timeout_s=8)
    await asyncio.sleep(1.0)
    log = await events(http, w, draft_id)
    assert_contiguous(log)
    assert [e["type"] for e in log] == ["draft:started", "draft:turn", "draft:pick", "draft:turn"]
    assert await redis.get(f"draft:{draft_id}:owner") is not None  # a runner holds it again

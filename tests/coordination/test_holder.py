"""Leases held by one process heartbeat (draft clocks): exclusive while the holder beats,
free once its heartbeat lapses, lost for good by a holder that lapsed."""

from __future__ import annotations

import asyncio
from typing import Any


async def test_leases_live_and_lapse_with_their_holders_heartbeat(redis: Any) -> None:
    from draftroom.coordination.holder import HeldLease, LeaseHolder

    await redis.flushdb()
    mine, theirs = LeaseHolder(redis, 600), LeaseHolder(redis, 600)
    a, b = HeldLease(mine, "test:holder:a"), HeldLease(mine, "test:holder:b")
    assert await a.acquire() and await b.acquire()
    assert await redis.get("test:holder:a") == mine.token  # names the process
    rival = HeldLease(theirs, "test:holder:a")
    assert not await rival.acquire()
    assert await theirs.free(["test:holder:a", "test:holder:b", "test:holder:c"]) == [
        False, False, True,
    ]  # fmt: skip
    await asyncio.sleep(0.4)
    assert await mine.beat()  # one command renews both
    await asyncio.sleep(0.4)
    assert await a.owned() and await b.owned() and not await rival.acquire()

    await b.release()
    assert await redis.get("test:holder:b") is None
    await rival.release()  # not theirs: no-op
    assert await redis.get("test:holder:a") == mine.token

    old_token = mine.token
    await asyncio.sleep(0.7)  # no heartbeat: every lease of the holder lapses together
    assert not await a.owned()
    assert await theirs.free(["test:holder:a"]) == [True]
    await theirs.beat()  # (theirs lapsed too: it beats again under a new token)
    assert await rival.acquire() and await rival.owned()
    assert not await mine.beat()  # the holder learns it lost everything...
    assert mine.token != old_token  # ...and carries on as a new holder
    assert not await a.owned()
    assert not await HeldLease(mine, "test:holder:a").acquire()  # theirs now
    assert await HeldLease(mine, "test:holder:c").acquire()

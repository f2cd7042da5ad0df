"""Presence in Redis: distinct teams and spectators, expiry, the refresh loop."""

from __future__ import annotations

import asyncio
from typing import Any

from draftroom.coordination import presence
from draftroom.coordination.presence import Entry, PresenceKeeper
from tests.support.polling import wait_for


async def test_tabs_count_once_and_leagues_are_separate(redis: Any) -> None:
    await presence.join(redis, 1, "s1", 10, 100)
    await presence.join(redis, 1, "s2", 10, 100)  # second tab of the same user
    await presence.join(redis, 1, "s3", 11, 101)
    await presence.join(redis, 1, "s4", 12, None)
    await presence.join(redis, 1, "s5", 12, None)
    await presence.join(redis, 1, "s6", 13, None)
    await presence.join(redis, 2, "s7", 14, 200)
    assert await presence.online_team_ids(redis, 1) == [100, 101]
    assert await presence.spectator_count(redis, 1) == 2
    assert await presence.presence(redis, 2) == {"online_team_ids": [200], "spectators": 0}
    await presence.leave(redis, 1, "s1", 10, 100)
    assert await presence.online_team_ids(redis, 1) == [100, 101]
    await presence.leave(redis, 1, "s2", 10, 100)
    assert await presence.online_team_ids(redis, 1) == [101]


async def test_entries_of_a_dead_process_expire(redis: Any) -> None:
    await presence.join(redis, 1, "gone", 10, 100, ttl_ms=50)
    await presence.join(redis, 1, "alive", 11, 101)
    assert await presence.online_team_ids(redis, 1) == [100, 101]
    await asyncio.sleep(0.1)
    assert await presence.online_team_ids(redis, 1) == [101]
    assert await presence.prune(redis, 1) == 1


async def test_keeper_refreshes_and_reports_changes(redis: Any) -> None:
    changed: list[int] = []

    async def on_change(league_id: int) -> None:
        changed.append(league_id)

    keeper = PresenceKeeper(redis, ttl_ms=300, refresh_s=0.05, on_change=on_change)
    try:
        await keeper.join(Entry(1, "a", 10, 100))
        # The other process's entry expires after 250 ms; writing it also sets the league
        # key's expiry to 500 ms, so the keeper has ample time to refresh the key on a
        # loaded machine (with a shorter key expiry the whole key could vanish first and
        # no prune would ever be seen).
        await presence.join(redis, 1, "other-process", 11, 101, ttl_ms=250)

        async def pruned() -> bool:
            return 1 in changed  # the other process's entry expired and was pruned

        await wait_for(pruned, timeout_s=5, what="the expired entry to be pruned")
        await asyncio.sleep(0.4)  # longer than the keeper's ttl: kept alive by the loop
        assert await presence.online_team_ids(redis, 1) == [100]

        await redis.flushdb()  # Redis lost everything (a restart)
        await asyncio.sleep(0.2)
        assert await presence.online_team_ids(redis, 1) == [100]

        await keeper.leave(Entry(1, "a", 10, 100))
        await asyncio.sleep(0.1)
        assert await presence.online_team_ids(redis, 1) == []
        assert keeper.leagues() == set()
    finally:
        await keeper.stop()

"""A burst of broadcasts through the Redis manager: all published, no client churn."""

from __future__ import annotations

import asyncio
from typing import Any

import redis.asyncio as aioredis


async def test_three_hundred_concurrent_broadcasts_all_reach_redis(settings: Any) -> None:
    """redis-py's default pool refuses past 100 connections; the stock manager then drops
    its client and reconnects (slow publishes, and a broadcast given up on a second
    failure). Ours waits for a pooled connection: every message arrives, the client stays."""
    from draftroom.realtime.server import CHANNEL, write_only_notifier

    listener = aioredis.Redis.from_url(settings.redis_url)
    pubsub = listener.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(CHANNEL)
    manager = write_only_notifier(settings.redis_url)
    await manager.emit("warm-up", {}, namespace="/")
    client = manager.redis
    try:
        await asyncio.gather(
            *(manager.emit("burst", {"n": n}, namespace="/league/1") for n in range(300))
        )
        received = 0
        deadline = asyncio.get_running_loop().time() + 10
        while received < 301 and asyncio.get_running_loop().time() < deadline:
            if await pubsub.get_message(timeout=1) is not None:
                received += 1
        assert received == 301
        assert manager.redis is client  # never reconnected
    finally:
        await pubsub.aclose()
        await listener.aclose()
        await client.aclose()

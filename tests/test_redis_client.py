"""The Redis client queues a burst beyond its pool instead of failing."""

from __future__ import annotations

import asyncio
from typing import Any

from draftroom.coordination.redis import connect


async def test_burst_beyond_pool_size_queues(settings: Any) -> None:
    client = connect(settings.redis_url, max_connections=5)
    try:
        results = await asyncio.gather(*(client.blpop(f"k{i}", timeout=0.2) for i in range(20)))
        assert results == [None] * 20
    finally:
        await client.aclose()

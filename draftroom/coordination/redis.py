"""The process's Redis client."""

from __future__ import annotations

import redis.asyncio as aioredis


def connect(redis_url: str, *, max_connections: int = 200) -> aioredis.Redis:
    """A pooled asyncio Redis client with short timeouts and health checks.

    The pool blocks (up to 5 s) when all connections are busy instead of failing at once,
    so a burst (a reconnect storm of thousands of sockets) queues rather than erroring.
    """
    pool = aioredis.BlockingConnectionPool.from_url(
        redis_url,
        decode_responses=True,
        max_connections=max_connections,
        timeout=5,
        socket_connect_timeout=2,
        socket_timeout=5,
        health_check_interval=10,
        retry_on_timeout=True,
    )
    return aioredis.Redis(connection_pool=pool)


async def ping(client: aioredis.Redis) -> bool:
    """True when Redis answers PING."""
    try:
        return bool(await client.ping())
    except Exception:
        return False

"""Whether the process's backing services answer (``GET /health``)."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from draftroom.coordination.redis import ping as ping_redis
from draftroom.db.engine import ping as ping_database


async def probe(redis: Redis) -> tuple[bool, bool]:
    """``(database_ok, redis_ok)``: PostgreSQL and Redis each answer within their timeout."""
    database_ok, redis_ok = await asyncio.gather(ping_database(), ping_redis(redis))
    return database_ok, redis_ok

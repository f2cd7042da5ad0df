"""Housekeeping: read notifications older than 90 days, and spent refresh tokens that can
no longer be used (their family is revoked or expired), are deleted.

A spent token of a live family is kept until its own TTL: presenting it again is how a
replayed token is detected (:mod:`draftroom.services.refresh_tokens`). Once the family is
gone that check has nothing left to revoke, so the key is only clutter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import redis.asyncio as aioredis

from draftroom.db.engine import pool

READ_NOTIFICATION_TTL = timedelta(days=90)
_SCAN_BATCH = 500

_PRUNE_NOTIFICATIONS = """
WITH gone AS (
    DELETE FROM notification WHERE read_at IS NOT NULL AND created_at < $1 RETURNING 1
) SELECT count(*) FROM gone
"""


async def prune_notifications(now: datetime | None = None) -> int:
    """Delete read notifications created more than 90 days before ``now``; how many."""
    cutoff = (now or datetime.now(UTC)) - READ_NOTIFICATION_TTL
    return int(await pool().fetchval(_PRUNE_NOTIFICATIONS, cutoff))


async def prune_refresh_tokens(redis: aioredis.Redis) -> dict[str, int]:
    """Delete spent refresh tokens of gone families and forget gone families per user."""
    tokens = 0
    async for key in redis.scan_iter(match="auth:rtf:{*}:t:*", count=_SCAN_BATCH):
        name = key.decode() if isinstance(key, bytes) else str(key)
        family_key = name.split(":t:", 1)[0]
        if await redis.get(name) in (b"spent", "spent") and not await redis.exists(family_key):
            tokens += await redis.delete(name)
    families = 0
    async for key in redis.scan_iter(match="auth:rtu:*", count=_SCAN_BATCH):
        for member in await redis.smembers(key):
            family = member.decode() if isinstance(member, bytes) else str(member)
            if not await redis.exists(f"auth:rtf:{{{family}}}"):
                families += await redis.srem(key, member)
    return {"refresh_tokens": tokens, "families": families}


async def run(redis: aioredis.Redis, now: datetime | None = None) -> dict[str, Any]:
    """The daily job: both prunes; what each removed."""
    return {"notifications": await prune_notifications(now), **await prune_refresh_tokens(redis)}

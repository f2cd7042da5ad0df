"""Revocations of access tokens in Redis: key layout, writes with their announcement, reads.

``revoked:jti:<jti>`` (``"1"``) revokes one token until it would have expired;
``revoked:user:<id>`` holds a moment in microseconds: every token of the user issued at or
before it is revoked. Every write is announced on the pub/sub channel ``CHANNEL`` in the
same MULTI/EXEC, so a process that loaded the keys once and follows the channel knows every
revocation (:class:`draftroom.coordination.revocations.RevocationCache`).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import redis.asyncio as aioredis

CHANNEL = "draftroom:revocations"
JTI_PREFIX = "revoked:jti:"
USER_PREFIX = "revoked:user:"
SCAN_BATCH = 1000
"""Keys per SCAN call and per pipeline of the full load."""


class Marks(NamedTuple):
    """What is known against one token: its own revocation and its user's moment (µs)."""

    jti_revoked: bool
    revoked_before_us: int | None


@dataclass(frozen=True)
class Revocation:
    """One token (``jti``) or every token of ``user_id`` issued up to ``before_us``.

    ``ttl_ms`` is how long the revocation matters (after that, the tokens it covers have
    expired anyway)."""

    jti: str | None
    user_id: int | None
    before_us: int
    ttl_ms: int

    @classmethod
    def token(cls, jti: str, ttl_ms: int) -> Revocation:
        """The revocation of one token."""
        return cls(jti, None, 0, ttl_ms)

    @classmethod
    def user(cls, user_id: int, before_us: int, ttl_ms: int) -> Revocation:
        """The revocation of every token of ``user_id`` issued up to ``before_us``."""
        return cls(None, user_id, before_us, ttl_ms)


def encode(revocation: Revocation) -> str:
    """The wire form of a revocation on ``CHANNEL``."""
    if revocation.jti is not None:
        return json.dumps({"jti": revocation.jti, "ttl_ms": revocation.ttl_ms})
    return json.dumps(
        {"user": revocation.user_id, "before_us": revocation.before_us, "ttl_ms": revocation.ttl_ms}
    )


def decode(data: Any) -> Revocation | None:
    """A revocation from its wire form; None when it does not parse."""
    try:
        body = json.loads(data)
        ttl_ms = int(body["ttl_ms"])
        if "jti" in body:
            return Revocation.token(str(body["jti"]), ttl_ms)
        return Revocation.user(int(body["user"]), int(body["before_us"]), ttl_ms)
    except (TypeError, ValueError, KeyError):
        return None


async def store(redis: aioredis.Redis, revocation: Revocation) -> None:
    """Write ``revocation`` and announce it, atomically (one MULTI/EXEC)."""
    ttl_ms = max(1, revocation.ttl_ms)
    async with redis.pipeline(transaction=True) as pipe:
        if revocation.jti is not None:
            pipe.set(f"{JTI_PREFIX}{revocation.jti}", "1", px=ttl_ms)
        else:
            pipe.set(f"{USER_PREFIX}{revocation.user_id}", str(revocation.before_us), px=ttl_ms)
        pipe.publish(CHANNEL, encode(revocation))
        await pipe.execute()


async def fetch_marks(redis: aioredis.Redis, jti: str, user_id: int) -> Marks:
    """The marks of one token, read from Redis (one MGET; Redis errors propagate)."""
    revoked_jti, before = await redis.mget(f"{JTI_PREFIX}{jti}", f"{USER_PREFIX}{user_id}")
    return Marks(revoked_jti is not None, int(before) if before else None)


async def load_all(redis: aioredis.Redis, batch: int = SCAN_BATCH) -> list[Revocation]:
    """Every revocation in Redis with its remaining TTL (SCAN, then pipelined reads)."""
    found: list[Revocation] = []
    async for keys in _key_batches(redis, batch):
        async with redis.pipeline(transaction=False) as pipe:
            for key in keys:
                pipe.pttl(key)
                pipe.get(key)
            replies = await pipe.execute()
        for index, key in enumerate(keys):
            revocation = _parse_key(key, replies[2 * index], replies[2 * index + 1])
            if revocation is not None:
                found.append(revocation)
    return found


async def _key_batches(redis: aioredis.Redis, batch: int) -> AsyncIterator[list[str]]:
    cursor: int = 0
    while True:
        cursor, keys = await redis.scan(cursor, match="revoked:*", count=batch)
        if keys:
            yield [str(key) for key in keys]
        if cursor == 0:
            return


NO_EXPIRY_MS = 86_400_000
"""TTL assumed for a key written without one (not done by draftroom)."""


def _parse_key(key: str, pttl: Any, value: Any) -> Revocation | None:
    if value is None or pttl is None or int(pttl) == -2:  # gone meanwhile
        return None
    ttl_ms = NO_EXPIRY_MS if int(pttl) < 0 else int(pttl)
    try:
        if key.startswith(JTI_PREFIX):
            return Revocation.token(key[len(JTI_PREFIX) :], ttl_ms)
        if key.startswith(USER_PREFIX):
            return Revocation.user(int(key[len(USER_PREFIX) :]), int(value), ttl_ms)
    except ValueError:
        return None
    return None

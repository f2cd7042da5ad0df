"""Account lockout: 5 failed logins within 15 minutes lock an account for 15 minutes.

Failures are counted per account (by id, whether the login named it by username or by
email) and, for names that match no account, per name, so a lockout does not reveal which
accounts exist. The failure log is the shared sliding-window limiter; the lock is one Redis
key whose TTL is the ``Retry-After``.
"""

from __future__ import annotations

import hashlib

import redis.asyncio as aioredis

from draftroom.coordination.ratelimit import Rate, RateLimiter
from draftroom.errors import RateLimited

MAX_FAILURES = 5
FAILURE_WINDOW_S = 15 * 60
LOCK_S = 15 * 60

# The limiter refuses the MAX_FAILURES-th failure: that refusal is what locks the account.
_TOLERATED = Rate(MAX_FAILURES - 1, FAILURE_WINDOW_S)
LOCKED_MESSAGE = "Too many failed logins; this account is locked for a while."


def account_key(user_id: int) -> str:
    """The lockout key of an existing account."""
    return f"acct:{user_id}"


def name_key(identifier: str) -> str:
    """The lockout key of a login name that matches no account."""
    digest = hashlib.sha256(identifier.strip().lower().encode()).hexdigest()[:32]
    return f"name:{digest}"


def _lock_key(key: str) -> str:
    return f"auth:lock:{key}"


async def locked_for(redis: aioredis.Redis, key: str) -> int:
    """Seconds until ``key`` is unlocked (0 when it is not locked)."""
    ttl = int(await redis.ttl(_lock_key(key)))
    if ttl == -1:  # a lock without expiry should not exist; never lock forever
        await redis.expire(_lock_key(key), LOCK_S)
        return LOCK_S
    return max(0, ttl)


async def ensure_not_locked(redis: aioredis.Redis, key: str) -> None:
    """Raise RateLimited (429 with Retry-After) while ``key`` is locked."""
    remaining = await locked_for(redis, key)
    if remaining > 0:
        raise RateLimited(LOCKED_MESSAGE, retry_after=remaining)


async def record_failure(redis: aioredis.Redis, key: str) -> int:
    """Count a failed login; returns the lock's seconds when this failure locked ``key``, else 0."""
    limiter = RateLimiter(redis, prefix="draftroom:loginfail:")
    allowed, _ = await limiter.hit_rates(key, [_TOLERATED])
    if allowed:
        return 0
    await redis.set(_lock_key(key), "1", ex=LOCK_S)
    await limiter.reset(key, _TOLERATED)
    return LOCK_S


async def clear_failures(redis: aioredis.Redis, key: str) -> None:
    """Forget the failures of ``key`` (after a successful login)."""
    await RateLimiter(redis, prefix="draftroom:loginfail:").reset(key, _TOLERATED)


async def unlock(redis: aioredis.Redis, key: str) -> None:
    """Lift a lock and forget the failures (the owner proved it by resetting the password)."""
    await redis.delete(_lock_key(key))
    await clear_failures(redis, key)

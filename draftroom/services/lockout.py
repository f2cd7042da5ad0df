"""Account lockout: 5 failed logins within 15 minutes lock an account for 15 minutes.

Failures are counted per account (by id, whether the login named it by username or by
email) and, for names that match no account, per name, so a lockout does not reveal which
accounts exist. The failure log is the shared sliding-window limiter (Redis); the lock is a
PostgreSQL row (:mod:`draftroom.db.queries.sessions`), so it survives a Redis restart.
"""

from __future__ import annotations

import hashlib

import redis.asyncio as aioredis

from draftroom.coordination.ratelimit import Rate, RateLimiter
from draftroom.db.queries import sessions
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


async def locked_for(redis: aioredis.Redis, key: str) -> int:
    """Seconds until ``key`` is unlocked (0 when it is not locked)."""
    return await sessions.locked_for(key)


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
    await sessions.lock(key, LOCK_S)
    await limiter.reset(key, _TOLERATED)
    return LOCK_S


async def clear_failures(redis: aioredis.Redis, key: str) -> None:
    """Forget the failures of ``key`` (after a successful login)."""
    await RateLimiter(redis, prefix="draftroom:loginfail:").reset(key, _TOLERATED)


async def unlock(redis: aioredis.Redis, key: str) -> None:
    """Lift a lock and forget the failures (the owner proved it by resetting the password)."""
    await sessions.unlock(key)
    await clear_failures(redis, key)

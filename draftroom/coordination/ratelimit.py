"""Sliding-window rate limits shared by every process through Redis.

Each limit ``Rate(limit, window_s)`` allows at most ``limit`` hits in any ``window_s``
seconds (a sliding log, as Jolpica's own throttle counts). A hit is checked and recorded
against several rates at once by one Lua script, so it is atomic across processes; the
clock is Redis's ``TIME``, so processes with skewed clocks still agree.

    limiter = RateLimiter(redis)
    allowed, retry_after_s = await limiter.hit(f"login:{ip}", 10, 60)   # never waits
    await limiter.acquire("jolpica", Rate(4, 1), Rate(500, 3600))        # waits its turn

:class:`LocalRateLimiter` has the same API for one process without Redis. (A socket's own
event budget is a different thing: :mod:`draftroom.realtime.socket_budget`.)
"""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import redis.asyncio as aioredis

from draftroom.errors import RateLimited

# KEYS[i]: one sorted set per rate. ARGV: member, n, then limit_i, window_ms_i per rate.
# Returns {1, 0} when the hit is recorded in every window, else {0, wait_ms} and records nothing.
_SCRIPT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = tonumber(ARGV[2])
local wait = 0
for i = 1, n do
  local limit = tonumber(ARGV[1 + 2 * i])
  local window = tonumber(ARGV[2 + 2 * i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[i])
  if count >= limit then
    local edge = redis.call('ZRANGE', KEYS[i], count - limit, count - limit, 'WITHSCORES')
    local w = tonumber(edge[2]) + window - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait} end
for i = 1, n do
  redis.call('ZADD', KEYS[i], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 + 2 * i]) + 1000)
end
return {1, 0}
"""


@dataclass(frozen=True)
class Rate:
    """At most ``limit`` hits in any ``window_s`` seconds."""

    limit: int
    window_s: float

    def __post_init__(self) -> None:
        if self.limit < 1 or self.window_s <= 0:
            raise ValueError(f"invalid rate {self.limit}/{self.window_s}s")

    @property
    def window_ms(self) -> int:
        """The window in whole milliseconds (at least 1)."""
        return max(1, round(self.window_s * 1000))


class Limiter(Protocol):
    """What rate-limited callers need (Redis-backed or in-process)."""

    async def hit_rates(self, key: str, rates: Sequence[Rate]) -> tuple[bool, float]: ...

    async def acquire(self, key: str, *rates: Rate, timeout_s: float | None = None) -> float: ...


class _Base(ABC):
    @abstractmethod
    async def hit_rates(self, key: str, rates: Sequence[Rate]) -> tuple[bool, float]:
        """Record one hit against every rate if all allow it; ``(allowed, retry_after_s)``."""

    async def hit(self, key: str, limit: int, window_s: float) -> tuple[bool, float]:
        """Record one hit if ``key`` is under ``limit`` per ``window_s``; never waits.

        Returns ``(allowed, retry_after_s)``; ``retry_after_s`` is 0 when allowed, else the
        time until a hit would be allowed. A refused hit is not recorded.
        """
        return await self.hit_rates(key, [Rate(limit, window_s)])

    async def check(self, key: str, limit: int, window_s: float) -> None:
        """Like :meth:`hit`, raising :class:`RateLimited` (with ``retry_after``) when refused."""
        allowed, retry_after_s = await self.hit(key, limit, window_s)
        if not allowed:
            raise RateLimited(retry_after=max(1, int(retry_after_s + 0.999)))

    async def acquire(self, key: str, *rates: Rate, timeout_s: float | None = None) -> float:
        """Wait until one hit fits under every rate, record it, and return the seconds waited.

        Raises :class:`RateLimited` when the wait would exceed ``timeout_s``.
        """
        if not rates:
            raise ValueError("acquire needs at least one Rate")
        started = time.monotonic()
        while True:
            allowed, wait_s = await self.hit_rates(key, rates)
            if allowed:
                return time.monotonic() - started
            waited = time.monotonic() - started
            if timeout_s is not None and waited + wait_s > timeout_s:
                raise RateLimited(
                    f"rate limit {key!r} would need {wait_s:.1f}s more",
                    retry_after=max(1, int(wait_s + 0.999)),
                )
            # a little jitter so that waiting processes do not all retry at the same instant
            await asyncio.sleep(wait_s + random.uniform(0, 0.02))


class RateLimiter(_Base):
    """Sliding-window limits in Redis, atomic across processes (one Lua script per hit)."""

    def __init__(self, redis: aioredis.Redis, *, prefix: str = "draftroom:ratelimit:") -> None:
        self.redis = redis
        self.prefix = prefix
        self._script = redis.register_script(_SCRIPT)

    def _keys(self, key: str, rates: Sequence[Rate]) -> list[str]:
        # the {hash tag} keeps every window of one key in one Redis Cluster slot
        return [f"{self.prefix}{{{key}}}:{r.limit}/{r.window_ms}" for r in rates]

    async def hit_rates(self, key: str, rates: Sequence[Rate]) -> tuple[bool, float]:
        """Record one hit against every rate of ``key`` at once, or none; never waits."""
        args: list[str | int] = [uuid.uuid4().hex, len(rates)]
        for rate in rates:
            args += [rate.limit, rate.window_ms]
        allowed, wait_ms = await self._script(keys=self._keys(key, rates), args=args)
        return bool(int(allowed)), int(wait_ms) / 1000.0

    async def reset(self, key: str, *rates: Rate) -> None:
        """Forget the hits of ``key`` under ``rates``."""
        if rates:
            await self.redis.delete(*self._keys(key, rates))


class LocalRateLimiter(_Base):
    """The same sliding windows in this process only (no Redis); for tests and tools."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = asyncio.Lock()

    async def hit_rates(self, key: str, rates: Sequence[Rate]) -> tuple[bool, float]:
        """Record one hit against every rate of ``key`` at once, or none; never waits."""
        async with self._lock:
            now = time.monotonic()
            wait = 0.0
            logs = []
            for rate in rates:
                log = self._hits.setdefault(f"{key}:{rate.limit}/{rate.window_ms}", deque())
                while log and log[0] <= now - rate.window_s:
                    log.popleft()
                if len(log) >= rate.limit:
                    wait = max(wait, log[len(log) - rate.limit] + rate.window_s - now)
                logs.append(log)
            if wait > 0:
                return False, wait
            for log in logs:
                log.append(now)
            return True, 0.0

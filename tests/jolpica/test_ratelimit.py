"""The Redis sliding-window rate limiter, shared across limiter instances (processes)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis

from draftroom.coordination.ratelimit import LocalRateLimiter, Rate, RateLimiter
from draftroom.errors import RateLimited


@pytest.fixture
async def redis_clients(redis_url: str) -> AsyncIterator[list[aioredis.Redis]]:
    """Two independent Redis clients (separate pools), as two processes would have."""
    clients = [aioredis.Redis.from_url(redis_url, decode_responses=True) for _ in range(2)]
    yield clients
    for client in clients:
        await client.aclose()


def key() -> str:
    return f"test:{uuid.uuid4().hex}"


async def test_hit_allows_up_to_the_limit_then_refuses_with_retry_after(
    redis_clients: list[aioredis.Redis],
) -> None:
    limiter, k = RateLimiter(redis_clients[0]), key()
    results = [await limiter.hit(k, 3, 0.5) for _ in range(4)]
    assert [allowed for allowed, _ in results] == [True, True, True, False]
    assert [wait for _, wait in results[:3]] == [0.0, 0.0, 0.0]
    assert 0 < results[3][1] <= 0.51
    await asyncio.sleep(results[3][1])
    assert (await limiter.hit(k, 3, 0.5))[0]


async def test_concurrent_hits_from_two_limiters_admit_exactly_the_limit(
    redis_clients: list[aioredis.Redis],
) -> None:
    first, second = (RateLimiter(c) for c in redis_clients)
    k = key()
    outcomes = await asyncio.gather(*(lim.hit(k, 5, 30) for lim in [first, second] * 10))
    assert sum(allowed for allowed, _ in outcomes) == 5


async def test_a_hit_refused_by_one_rate_is_recorded_in_none(
    redis_clients: list[aioredis.Redis],
) -> None:
    limiter, k = RateLimiter(redis_clients[0]), key()
    rates = [Rate(10, 30), Rate(2, 30)]
    assert [(await limiter.hit_rates(k, rates))[0] for _ in range(3)] == [True, True, False]
    # the 10/30s window holds 2 hits, not 3: exactly 8 more fit
    assert [(await limiter.hit(k, 10, 30))[0] for _ in range(9)] == [True] * 8 + [False]


async def test_check_raises_rate_limited_with_retry_after(
    redis_clients: list[aioredis.Redis],
) -> None:
    limiter, k = RateLimiter(redis_clients[0]), key()
    await limiter.check(k, 1, 60)
    with pytest.raises(RateLimited) as caught:
        await limiter.check(k, 1, 60)
    assert caught.value.retry_after == 60 and caught.value.code == "rate_limited"
    await limiter.reset(k, Rate(1, 60))
    await limiter.check(k, 1, 60)


async def test_acquire_from_two_limiters_keeps_the_combined_rate_within_the_burst(
    redis_clients: list[aioredis.Redis],
) -> None:
    first, second = (RateLimiter(c) for c in redis_clients)
    k, rate = key(), Rate(4, 0.5)
    stamps: list[float] = []

    async def take(limiter: RateLimiter) -> None:
        await limiter.acquire(k, rate)
        stamps.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(*(take(lim) for lim in [first, second] * 6))
    stamps.sort()
    assert len(stamps) == 12
    assert stamps[-1] - started >= 1.0  # 12 at 4 per 0.5 s need three windows
    for i in range(len(stamps) - 4):
        assert stamps[i + 4] - stamps[i] >= 0.45  # never 5 inside one window


async def test_acquire_gives_up_with_rate_limited_past_its_timeout(
    redis_clients: list[aioredis.Redis],
) -> None:
    limiter, k = RateLimiter(redis_clients[0]), key()
    await limiter.acquire(k, Rate(1, 60))
    with pytest.raises(RateLimited):
        await limiter.acquire(k, Rate(1, 60), timeout_s=0.1)


async def test_local_limiter_has_the_same_semantics() -> None:
    limiter = LocalRateLimiter()
    assert [(await limiter.hit("k", 2, 0.3))[0] for _ in range(3)] == [True, True, False]
    started = time.monotonic()
    await limiter.acquire("k", Rate(2, 0.3))
    assert time.monotonic() - started >= 0.2


@pytest.mark.parametrize(("limit", "window_s"), [(0, 1.0), (1, 0.0), (-1, 1.0)])
def test_invalid_rates_are_refused(limit: int, window_s: float) -> None:
    with pytest.raises(ValueError):
        Rate(limit, window_s)

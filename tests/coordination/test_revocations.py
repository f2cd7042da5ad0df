"""RevocationCache against a real Redis of this module's own (it is killed and stopped) and
the test PostgreSQL, where revocations are stored."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest

from draftroom.coordination import revocation_store
from draftroom.coordination.redis import connect
from draftroom.coordination.revocation_store import Marks, Revocation
from draftroom.coordination.revocations import RevocationCache, State
from draftroom.embedded import EmbeddedRedis
from draftroom.errors import ServiceUnavailable, Unauthorized
from draftroom.services import tokens


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    """A Redis of this module's own: CLIENT KILL and stops touch nothing else."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("revocations-redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def client(own_redis: EmbeddedRedis, db: None) -> AsyncIterator[Any]:
    """A pooled client of the module's Redis, flushed (and the tables emptied)."""
    if own_redis.pid is None:
        own_redis.start()
    redis = connect(own_redis.url)
    await redis.flushdb()
    yield redis
    await redis.aclose()


@pytest.fixture
async def caches(own_redis: EmbeddedRedis, client: Any) -> AsyncIterator[Any]:
    """Factory: ``await caches(start=True, **options)`` -> a RevocationCache; all stopped."""
    made: list[RevocationCache] = []

    async def factory(start: bool = True, **options: Any) -> RevocationCache:
        cache = RevocationCache(client, own_redis.url, **options)
        made.append(cache)
        if start:
            await cache.start()
            assert cache.state is State.READY
        return cache

    yield factory
    for cache in made:
        await cache.stop()


async def eventually(check: Callable[[], bool], timeout: float = 1.0) -> float:
    """Wait until ``check()`` holds; returns the seconds it took (fails after ``timeout``)."""
    started = time.monotonic()
    while not check():
        assert time.monotonic() - started < timeout, "condition not met in time"
        await asyncio.sleep(0.005)
    return time.monotonic() - started


def token_of(settings: Any, user_id: int) -> tokens.AuthUser:
    return tokens.decode_access_token(settings, tokens.issue_access_token(settings, user_id))


async def test_a_revocation_reaches_every_cache_within_a_second(
    caches: Callable[..., Awaitable[RevocationCache]], client: Any, settings: Any
) -> None:
    first, second = await caches(), await caches()
    heard: list[Revocation] = []
    second.add_listener(heard.append)
    user = token_of(settings, 7)
    assert second.marks(user.jti, 7) == Marks(False, None)

    await tokens.revoke_access_token(client, user)
    await eventually(lambda: second.marks(user.jti, 7) == Marks(True, None))
    assert first.marks(user.jti, 7) == Marks(True, None)
    assert [r.jti for r in heard] == [user.jti]

    await tokens.revoke_all_for_user(settings, client, 7)
    await eventually(lambda: second.marks("other", 7) != Marks(False, None))
    before = second.marks("other", 7)
    assert before is not None and before.revoked_before_us is not None
    assert tokens.is_revoked(before, user.issued_at_us)
    assert not tokens.is_revoked(before, token_of(settings, 7).issued_at_us)
    assert heard[-1] == Revocation.user(7, before.revoked_before_us, heard[-1].ttl_ms)


async def test_after_the_feed_is_killed_a_full_reload_finds_what_was_missed(
    caches: Callable[..., Awaitable[RevocationCache]], client: Any, settings: Any
) -> None:
    cache = await caches(retry_s=0.5)
    heard: list[Revocation] = []
    cache.add_listener(heard.append)
    assert cache.loads == 1
    missed = token_of(settings, 8)

    assert await client.execute_command("CLIENT", "KILL", "TYPE", "pubsub") >= 1
    await eventually(lambda: cache.state is State.STALE)
    await tokens.revoke_access_token(client, missed)  # published to nobody
    assert cache.marks(missed.jti, 8) is None  # not ready: callers ask PostgreSQL

    await eventually(lambda: cache.state is State.READY, timeout=5)
    assert cache.loads == 2
    assert cache.marks(missed.jti, 8) == Marks(True, None)
    assert [r.jti for r in heard] == [missed.jti]  # listeners hear of it too

    later = token_of(settings, 8)  # and the feed works again
    await tokens.revoke_access_token(client, later)
    await eventually(lambda: cache.marks(later.jti, 8) == Marks(True, None))


async def test_expired_entries_go(
    caches: Callable[..., Awaitable[RevocationCache]], client: Any
) -> None:
    cache = await caches(sweep_s=0.2)
    await revocation_store.store(client, Revocation.token("short", 300))
    await revocation_store.store(client, Revocation.user(9, 123, 300))
    await revocation_store.store(client, Revocation.token("long", 60_000))
    await eventually(lambda: len(cache) == 3)
    assert cache.marks("short", 9) == Marks(True, 123)

    await asyncio.sleep(0.35)
    assert cache.marks("short", 9) == Marks(False, None)  # dropped at lookup
    await revocation_store.store(client, Revocation.token("unread", 100))
    await eventually(lambda: len(cache) == 2)
    await eventually(lambda: len(cache) == 1)  # the sweep drops what nobody looked up
    assert cache.marks("long", 9) == Marks(True, None)


async def test_a_cache_loads_what_was_revoked_before_it_started(
    caches: Callable[..., Awaitable[RevocationCache]], client: Any, settings: Any
) -> None:
    old = token_of(settings, 10)
    await tokens.revoke_access_token(client, old)
    await tokens.revoke_all_for_user(settings, client, 11)
    cache = await caches()
    assert cache.marks(old.jti, 10) == Marks(True, None)
    marks = cache.marks("any", 11)
    assert marks is not None and marks.revoked_before_us is not None


async def test_a_cache_that_is_not_ready_falls_back_to_postgres(
    caches: Callable[..., Awaitable[RevocationCache]], client: Any, settings: Any
) -> None:
    cache = await caches(start=False)
    assert cache.state is State.LOADING and cache.marks("x", 1) is None
    token = tokens.issue_access_token(settings, 12)
    user = tokens.decode_access_token(settings, token)
    assert await tokens.verify_access_token(settings, client, token, cache) == user
    await tokens.revoke_access_token(client, user)
    with pytest.raises(Unauthorized):
        await tokens.verify_access_token(settings, client, token, cache)


async def test_redis_down_checks_ask_postgres_and_revocations_hold(
    caches: Callable[..., Awaitable[RevocationCache]],
    client: Any,
    settings: Any,
    own_redis: EmbeddedRedis,
) -> None:
    cache = await caches()
    token = tokens.issue_access_token(settings, 13)
    revoked = tokens.issue_access_token(settings, 14)
    assert await tokens.verify_access_token(settings, client, token, cache)
    await asyncio.to_thread(own_redis.stop)
    try:
        await eventually(lambda: cache.state is State.STALE, timeout=5)
        assert await tokens.verify_access_token(settings, client, token, cache)
        await tokens.revoke_access_token(client, tokens.decode_access_token(settings, revoked))
        with pytest.raises(Unauthorized):  # stored, though nobody could be told
            await tokens.verify_access_token(settings, client, revoked, cache)
    finally:
        await asyncio.to_thread(own_redis.restart)  # empty: revocations are not in Redis
    await eventually(lambda: cache.state is State.READY, timeout=10)
    assert await tokens.verify_access_token(settings, client, token, cache)
    with pytest.raises(Unauthorized):
        await tokens.verify_access_token(settings, client, revoked, cache)


async def test_store_unknown_fails_closed(
    caches: Callable[..., Awaitable[RevocationCache]], client: Any, settings: Any
) -> None:
    from draftroom.db import engine

    cache = await caches(start=False)  # not ready: the check must reach PostgreSQL
    token = tokens.issue_access_token(settings, 15)
    await engine.close_pool()  # this process has no database now
    try:
        with pytest.raises(ServiceUnavailable):
            await tokens.verify_access_token(settings, client, token, cache)
        with pytest.raises(ServiceUnavailable):
            await tokens.verify_access_token(settings, client, token)  # no cache at all
    finally:
        await engine.open_pool(10)

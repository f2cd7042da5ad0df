"""RevocationWatch: which indexed sockets a revocation covers (a real cache on the test
Redis; the Socket.IO server is a recorder)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest

from draftroom.coordination.revocation_store import Revocation
from draftroom.coordination.revocations import RevocationCache
from draftroom.realtime.revocation_watch import RevocationWatch
from draftroom.services import tokens


class Manager:
    def __init__(self) -> None:
        self.connected: set[tuple[str, str]] = set()

    def is_connected(self, sid: str, namespace: str) -> bool:
        return (namespace, sid) in self.connected


class RecordingServer:
    """What the watch uses of ``socketio.AsyncServer``: the manager and ``disconnect``."""

    def __init__(self) -> None:
        self.manager = Manager()
        self.disconnected: list[tuple[str, str]] = []

    async def disconnect(self, sid: str, namespace: str, ignore_queue: bool = False) -> None:
        assert ignore_queue  # each process drops its own sockets
        self.disconnected.append((namespace, sid))


@pytest.fixture
async def cache(redis: Any, settings: Any) -> AsyncIterator[RevocationCache]:
    cache = RevocationCache(redis, settings.redis_url)
    await cache.start()
    yield cache
    await cache.stop()


def token(settings: Any, user_id: int) -> tokens.AuthUser:
    return tokens.decode_access_token(settings, tokens.issue_access_token(settings, user_id))


async def settle(check: Any, timeout: float = 1.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.005)


async def test_a_token_revocation_drops_that_tokens_sockets_only(
    cache: RevocationCache, settings: Any
) -> None:
    sio = RecordingServer()
    watch = RevocationWatch(sio, cache)
    alice, alice_phone, bob = token(settings, 1), token(settings, 1), token(settings, 2)
    sockets = {("/", "a1"): alice, ("/league/1", "a2"): alice, ("/league/1", "a3"): alice_phone}
    sockets[("/league/1", "b1")] = bob
    for (namespace, sid), user in sockets.items():
        sio.manager.connected.add((namespace, sid))
        watch.add(namespace, sid, user)
    assert len(watch) == 4

    watch.revoked(Revocation.token(alice.jti, 60_000))
    await settle(lambda: len(sio.disconnected) == 2)
    assert sorted(sio.disconnected) == [("/", "a1"), ("/league/1", "a2")]
    assert len(watch) == 2
    watch.remove("/league/1", "a3")
    watch.remove("/league/1", "a3")  # idempotent
    watch.remove("/league/1", "b1")
    assert len(watch) == 0


async def test_a_user_revocation_drops_the_tokens_issued_up_to_its_moment(
    cache: RevocationCache, settings: Any
) -> None:
    sio = RecordingServer()
    watch = RevocationWatch(sio, cache)
    old, moment = token(settings, 3), time.time_ns() // 1000
    await asyncio.sleep(0.002)
    new, other = token(settings, 3), token(settings, 4)
    for sid, user in (("old", old), ("new", new), ("other", other)):
        sio.manager.connected.add(("/", sid))
        watch.add("/", sid, user)

    watch.revoked(Revocation.user(3, moment, 60_000))
    await settle(lambda: sio.disconnected == [("/", "old")])
    await asyncio.sleep(0.05)
    assert sio.disconnected == [("/", "old")]


async def test_a_socket_revoked_while_being_admitted_is_dropped_once_connected(
    cache: RevocationCache, redis: Any, settings: Any
) -> None:
    sio = RecordingServer()
    watch = RevocationWatch(sio, cache)
    user = token(settings, 5)
    await tokens.revoke_access_token(redis, user)  # after its check, before it is indexed
    await settle(lambda: cache.marks(user.jti, 5) == (True, None))

    watch.add("/league/2", "late", user)  # its connect handler has not returned yet
    await asyncio.sleep(0.05)
    assert sio.disconnected == []
    sio.manager.connected.add(("/league/2", "late"))  # the CONNECT packet went out
    await settle(lambda: sio.disconnected == [("/league/2", "late")])
    assert len(watch) == 0

"""Disconnects this process's sockets as soon as their access token is revoked.

The namespaces index every admitted socket (``add`` on connect, ``remove`` on disconnect):
by token id and by user, with the token's issue time. The process's
:class:`~draftroom.coordination.revocations.RevocationCache` calls :meth:`revoked` for every
revocation it learns (from pub/sub, or from a full reload after its connection came back);
the sockets it covers (the same rule as token checks: :func:`tokens.is_revoked`) are
disconnected locally at once, in ``/`` and in every ``/league/{id}`` namespace.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TypeVar

import socketio

from draftroom.coordination.revocation_store import Marks, Revocation
from draftroom.coordination.revocations import RevocationCache
from draftroom.services.tokens import AuthUser, is_revoked

log = logging.getLogger("draftroom.realtime.revocations")

T = TypeVar("T")
Key = tuple[str, str]
"""``(namespace, sid)`` of one socket."""
CONNECT_WAIT_S = 2.0
"""How long a socket revoked while being admitted may take to finish connecting."""


class RevocationWatch:
    """The index of this process's sockets by token and by user, and their disconnection."""

    def __init__(self, sio: socketio.AsyncServer, cache: RevocationCache | None) -> None:
        self.sio = sio
        self.cache = cache
        self._sockets: dict[Key, AuthUser] = {}
        self._by_jti: dict[str, set[Key]] = {}
        self._by_user: dict[int, set[Key]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        if cache is not None:
            cache.add_listener(self.revoked)

    def __len__(self) -> int:
        return len(self._sockets)

    def add(self, namespace: str, sid: str, user: AuthUser) -> None:
        """Index a socket being admitted (one already revoked meanwhile is dropped)."""
        if self.cache is None:
            return
        key = (namespace, sid)
        self._sockets[key] = user
        self._by_jti.setdefault(user.jti, set()).add(key)
        self._by_user.setdefault(user.user_id, set()).add(key)
        marks = self.cache.marks(user.jti, user.user_id)
        if marks is not None and is_revoked(marks, user.issued_at_us):
            self._drop([key])

    def remove(self, namespace: str, sid: str) -> None:
        """Forget a socket (idempotent)."""
        key = (namespace, sid)
        user = self._sockets.pop(key, None)
        if user is None:
            return
        _discard(self._by_jti, user.jti, key)
        _discard(self._by_user, user.user_id, key)

    def revoked(self, revocation: Revocation) -> None:
        """Cache listener: disconnect every socket of this process ``revocation`` covers."""
        if revocation.jti is not None:
            keys = self._by_jti.get(revocation.jti, set())
            marks = Marks(True, None)
        elif revocation.user_id is not None:
            keys = self._by_user.get(revocation.user_id, set())
            marks = Marks(False, revocation.before_us)
        else:
            return
        hit = [key for key in keys if is_revoked(marks, self._sockets[key].issued_at_us)]
        if hit:
            self._drop(hit)

    def _drop(self, keys: list[Key]) -> None:
        for key in keys:
            self.remove(*key)
        log.info("disconnecting %d socket(s) of a revoked token", len(keys))
        task = asyncio.get_running_loop().create_task(self._disconnect(keys))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _disconnect(self, keys: list[Key]) -> None:
        waiting = []
        for namespace, sid in keys:
            if self.sio.manager.is_connected(sid, namespace):
                await self._disconnect_one(namespace, sid)
            else:  # its connect handler has not returned yet
                waiting.append(self._when_connected(namespace, sid))
        await asyncio.gather(*waiting)

    async def _when_connected(self, namespace: str, sid: str) -> None:
        for _ in range(int(CONNECT_WAIT_S / 0.01)):
            await asyncio.sleep(0.01)
            if self.sio.manager.is_connected(sid, namespace):
                await self._disconnect_one(namespace, sid)
                return

    async def _disconnect_one(self, namespace: str, sid: str) -> None:
        with contextlib.suppress(Exception):
            await self.sio.disconnect(sid, namespace=namespace, ignore_queue=True)


def _discard(index: dict[T, set[Key]], name: T, key: Key) -> None:
    keys = index.get(name)
    if keys is not None:
        keys.discard(key)
        if not keys:
            del index[name]

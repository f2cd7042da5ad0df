"""An owner lease in Redis: redis-py's asyncio ``Lock`` used without blocking.

``SET key token NX PX ttl`` to acquire, a compare-and-pexpire script to renew
(``reacquire``), a compare-and-delete to release. Whoever holds the key owns the work
(e.g. the demo director); a holder that dies loses it when the lease runs out. Draft
clocks, which one process may hold thousands of, use :mod:`draftroom.coordination.holder`.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

import redis.asyncio as aioredis
from redis.exceptions import LockError

log = logging.getLogger(__name__)


class OwnerLease:
    """A renewable, non-blocking Redis lease on ``key`` for ``ttl_ms`` milliseconds."""

    def __init__(self, redis: aioredis.Redis, key: str, ttl_ms: int) -> None:
        self.key = key
        self.ttl_ms = ttl_ms
        self._lock = redis.lock(
            key,
            timeout=ttl_ms / 1000,
            blocking=False,
            thread_local=False,
            raise_on_release_error=False,
        )

    async def acquire(self) -> bool:
        """Take the lease if nobody holds it; True when taken.

        The token is ``host:pid:random`` so an operator (or a test) can tell who holds it.
        """
        token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        return bool(await self._lock.acquire(blocking=False, token=token))

    async def renew(self) -> bool:
        """Reset the lease to its full TTL; False when it is no longer ours.

        Redis being unreachable raises (redis ``ConnectionError``/``TimeoutError``): the
        caller decides how long to keep trying (the lease may still be ours).
        """
        try:
            await self._lock.reacquire()
        except LockError:
            return False
        return True

    @property
    def token(self) -> bytes | None:
        """Our token while we believe we hold the lease (None before acquire)."""
        token = self._lock.local.token
        return None if token is None else bytes(token)

    async def owned(self) -> bool:
        """True while Redis still holds our token under the key."""
        return bool(await self._lock.owned())

    async def release(self) -> None:
        """Give the lease up (no-op when it is no longer ours)."""
        try:
            await self._lock.release()
        except LockError:
            pass
        except Exception:
            log.warning("could not release lease %s", self.key, exc_info=True)

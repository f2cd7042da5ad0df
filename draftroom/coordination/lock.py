"""An owner lease in Redis: redis-py's asyncio ``Lock`` used without blocking.

``SET key token NX PX ttl`` to acquire, a compare-and-pexpire script to renew
(``reacquire``), a compare-and-delete to release. Whoever holds the key owns the work
(e.g. a draft's clock); a holder that dies loses it when the lease runs out.
:func:`renew_all` renews many leases in one round trip (a process holding hundreds of
draft leases renews them together rather than one script call each).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections import defaultdict
from collections.abc import Sequence

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


_RENEW_ALL = """
local renewed = {}
for i, key in ipairs(KEYS) do
  if redis.call('get', key) == ARGV[i + 1] then
    redis.call('pexpire', key, ARGV[1])
    renewed[i] = 1
  else
    renewed[i] = 0
  end
end
return renewed
"""
RENEW_BATCH = 500
"""Leases renewed by one script call."""


async def renew_all(redis: aioredis.Redis, leases: Sequence[OwnerLease]) -> list[bool]:
    """Renew every lease to its full TTL; for each, False when it is no longer ours.

    One script call per RENEW_BATCH leases of the same TTL. Redis being unreachable raises,
    as :meth:`OwnerLease.renew` does.
    """
    script = redis.register_script(_RENEW_ALL)
    result = [False] * len(leases)
    by_ttl: dict[int, list[int]] = defaultdict(list)
    for index, lease in enumerate(leases):
        if lease.token is not None:
            by_ttl[lease.ttl_ms].append(index)
    for ttl_ms, indexes in by_ttl.items():
        for start in range(0, len(indexes), RENEW_BATCH):
            batch = indexes[start : start + RENEW_BATCH]
            keys = [leases[i].key for i in batch]
            args: list[int | bytes] = [ttl_ms, *(leases[i].token or b"" for i in batch)]
            flags = await script(keys=keys, args=args)
            for i, flag in zip(batch, flags, strict=True):
                result[i] = bool(int(flag))
    return result

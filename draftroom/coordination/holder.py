"""Many leases for the price of one: each lease names its holder process, and the holder's
one heartbeat key says whether it is alive.

A :class:`LeaseHolder` is ``host:pid:random`` (so an operator or a test can tell which
process holds a lease). Its heartbeat ``lease-holder:{token}`` lives ``ttl_ms`` and is
renewed by :meth:`LeaseHolder.beat` (one ``SET XX PX``) whatever the number of leases. A
lease key (e.g. ``draft:7:owner``) holds the holder's token and has no expiry: it is free
when missing or when its holder's heartbeat is gone, so a dead process's leases all lapse
``ttl_ms`` after its last beat. A holder whose heartbeat lapsed (a long pause, a Redis
restart) has lost every lease: it takes a new token, so the leases naming the old one stay
free for anyone. Taking, checking and releasing a lease are scripts reading both keys.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Sequence

import redis.asyncio as aioredis

log = logging.getLogger(__name__)

HEARTBEAT_PREFIX = "lease-holder:"

_ACQUIRE = """
if redis.call('exists', KEYS[2]) == 0 then return -1 end
local owner = redis.call('get', KEYS[1])
if owner and owner ~= ARGV[1] and redis.call('exists', ARGV[2] .. owner) == 1 then
  return 0
end
redis.call('set', KEYS[1], ARGV[1])
return 1
"""
_OWNED = """
if redis.call('get', KEYS[1]) == ARGV[1] and redis.call('exists', KEYS[2]) == 1 then
  return 1
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end
return 0
"""


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class LeaseHolder:
    """One process's identity for its leases, kept alive by one heartbeat (see module doc)."""

    def __init__(self, redis: aioredis.Redis, ttl_ms: int) -> None:
        self.redis = redis
        self.ttl_ms = ttl_ms
        self._started = False
        self._acquire = redis.register_script(_ACQUIRE)
        self._owned = redis.register_script(_OWNED)
        self._release = redis.register_script(_RELEASE)
        self.token = self._new_token()

    @staticmethod
    def _new_token() -> str:
        return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"

    @property
    def heartbeat_key(self) -> str:
        """The key whose presence says this holder is alive."""
        return HEARTBEAT_PREFIX + self.token

    async def beat(self) -> bool:
        """Renew the heartbeat; False when it had lapsed (every lease held is lost, and the
        holder carries on under a new token). Redis being unreachable raises."""
        if await self.redis.set(self.heartbeat_key, 1, px=self.ttl_ms, xx=True):
            return True
        lapsed = self._started
        if lapsed:
            self.token = self._new_token()
        await self.redis.set(self.heartbeat_key, 1, px=self.ttl_ms, nx=True)
        self._started = True
        return not lapsed

    async def acquire(self, key: str) -> str | None:
        """Take ``key`` if it is free (or already ours); the token it names, None if not.
        A holder whose heartbeat is gone (never started, lapsed, Redis restarted) beats
        first (under a new token if it had lapsed)."""
        for _ in range(2):
            token = self.token
            keys = [key, self.heartbeat_key]
            won = int(await self._acquire(keys=keys, args=[token, HEARTBEAT_PREFIX]))
            if won >= 0:
                return token if won else None
            await self.beat()
        return None

    async def owned(self, key: str, token: str) -> bool:
        """True while ``key`` names ``token`` and that token's heartbeat is alive."""
        keys = [key, HEARTBEAT_PREFIX + token]
        return bool(int(await self._owned(keys=keys, args=[token])))

    async def release(self, key: str, token: str) -> None:
        """Free ``key`` if it still names ``token``."""
        await self._release(keys=[key], args=[token])

    async def free(self, keys: Sequence[str]) -> list[bool]:
        """For each key, True when nobody alive holds it (two round trips in all)."""
        if not keys:
            return []
        owners = [None if o is None else _text(o) for o in await self.redis.mget(list(keys))]
        holders = sorted({o for o in owners if o is not None})
        alive: dict[str, bool] = {}
        if holders:
            beats = await self.redis.mget([HEARTBEAT_PREFIX + h for h in holders])
            alive = {h: b is not None for h, b in zip(holders, beats, strict=True)}
        return [o is None or not alive[o] for o in owners]

    async def close(self) -> None:
        """Stop the heartbeat (a stopping process: what it still holds is free at once)."""
        await self.redis.delete(self.heartbeat_key)
        self._started = False


class HeldLease:
    """One lease of a :class:`LeaseHolder`, with :class:`~draftroom.coordination.lock.OwnerLease`'s
    interface (renewed by the holder's heartbeat, not one by one)."""

    def __init__(self, holder: LeaseHolder, key: str) -> None:
        self.holder = holder
        self.key = key
        self.token: str | None = None

    @property
    def ttl_ms(self) -> int:
        """How long the lease outlives its holder's last heartbeat."""
        return self.holder.ttl_ms

    async def acquire(self) -> bool:
        """Take the lease if it is free; True when taken."""
        self.token = await self.holder.acquire(self.key)
        return self.token is not None

    async def owned(self) -> bool:
        """True while the lease names our token and our heartbeat is alive."""
        return self.token is not None and await self.holder.owned(self.key, self.token)

    async def release(self) -> None:
        """Give the lease up (no-op when it is no longer ours; Redis trouble is logged: the
        lease then lapses with the holder's heartbeat or is taken back by it)."""
        if self.token is None:
            return
        try:
            await self.holder.release(self.key, self.token)
        except Exception:
            log.warning("could not release lease %s", self.key, exc_info=True)

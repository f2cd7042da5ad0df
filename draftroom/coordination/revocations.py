"""Revocations served from process memory: :class:`RevocationCache`, one per web process.

The cache subscribes to ``draftroom:revocations``, then loads every live revocation from
PostgreSQL, their source of truth (so nothing published meanwhile is missed), then applies
what the channel delivers. Whenever its pub/sub connection fails it is *stale* until it has
subscribed and loaded everything again (messages published while it was disconnected are
lost by pub/sub, not by the load). While not *ready* (``loading`` or ``stale``),
:meth:`marks` answers None and callers ask PostgreSQL instead, failing closed when it cannot
answer (:func:`draftroom.services.tokens.verify_access_token`). Entries go when their TTL
has passed: at lookup, and in a sweep every ``sweep_s`` (which also purges the expired
session rows of PostgreSQL).

Listeners (``add_listener``) hear of every revocation the cache did not know yet, from the
channel or from a full load; the web process disconnects the sockets it revokes
(:mod:`draftroom.realtime.revocation_watch`).
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import time
from collections.abc import Callable
from typing import Any

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from draftroom.coordination import revocation_store as store
from draftroom.coordination.revocation_store import Marks, Revocation
from draftroom.db.queries import sessions

log = logging.getLogger("draftroom.revocations")

Listener = Callable[[Revocation], None]

START_WAIT_S = 5.0
"""How long ``start()`` waits for the first full load (checks ask PostgreSQL until it ends)."""


def _listener_client(redis_url: str) -> aioredis.Redis:
    """The client of the feed: blocking reads, and no silent reconnect."""
    return aioredis.Redis.from_url(
        redis_url,
        decode_responses=True,
        socket_timeout=None,  # the feed may be silent for hours
        socket_connect_timeout=5,
        socket_keepalive=True,
        health_check_interval=15,
        client_name="draftroom:revocations",
        retry=Retry(NoBackoff(), 0),  # a lost connection must surface here, not be hidden
    )


class State(enum.Enum):
    """Whether the cache can answer: only ``READY`` does."""

    LOADING = "loading"
    READY = "ready"
    STALE = "stale"


class _Resubscribed(Exception):
    """The pub/sub connection came back by itself: what was published meanwhile is lost."""


class RevocationCache:
    """Revoked jtis and per-user moments, loaded from PostgreSQL, kept current by pub/sub."""

    def __init__(
        self,
        redis: aioredis.Redis,
        redis_url: str,
        *,
        sweep_s: float = 30.0,
        retry_s: float = 0.5,
    ) -> None:
        self._redis = redis
        self._url = redis_url
        self._sweep_s = sweep_s
        self._retry_s = retry_s
        self._jtis: dict[str, float] = {}  # jti -> expiry (monotonic s)
        self._users: dict[int, tuple[int, float]] = {}  # user -> (before_us, expiry)
        self._listeners: list[Listener] = []
        self._state = State.LOADING
        self._ready = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.loads = 0
        """Full loads done so far (one at start, one after every reconnect)."""

    @property
    def state(self) -> State:
        """``LOADING``, ``READY`` or ``STALE``."""
        return self._state

    def add_listener(self, listener: Listener) -> None:
        """Call ``listener(revocation)`` for every revocation new to this cache."""
        self._listeners.append(listener)

    def marks(self, jti: str, user_id: int) -> Marks | None:
        """What is known against a token, or None while not ready (ask PostgreSQL then)."""
        if self._state is not State.READY:
            return None
        now = time.monotonic()
        jti_expiry = self._jtis.get(jti)
        if jti_expiry is not None and jti_expiry <= now:
            del self._jtis[jti]
            jti_expiry = None
        user = self._users.get(user_id)
        if user is not None and user[1] <= now:
            del self._users[user_id]
            user = None
        return Marks(jti_expiry is not None, user[0] if user else None)

    def __len__(self) -> int:
        return len(self._jtis) + len(self._users)

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        """Follow the feed; wait (up to ``START_WAIT_S``) for the first full load."""
        self._task = asyncio.create_task(self._run(), name="revocation-cache")
        try:
            await asyncio.wait_for(self._ready.wait(), START_WAIT_S)
        except TimeoutError:
            log.warning("revocations not loaded yet; token checks ask PostgreSQL meanwhile")

    async def stop(self) -> None:
        """Stop following the feed."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        self._set_state(State.STALE)

    async def _run(self) -> None:
        client = _listener_client(self._url)
        try:
            while True:
                try:
                    await self._follow(client)
                except Exception as error:
                    self._set_state(State.STALE)
                    log.warning("revocation feed lost (%s); reloading", error or type(error))
                await asyncio.sleep(self._retry_s)
        finally:
            await client.aclose()

    async def _follow(self, client: aioredis.Redis) -> None:
        """Subscribe, load everything, then apply the feed until the connection fails."""
        async with client.pubsub() as pubsub:
            await pubsub.subscribe(store.CHANNEL)
            await _confirmed(pubsub)
            await self.reload()
            self._set_state(State.READY)
            next_sweep = time.monotonic() + self._sweep_s
            while True:
                message = await pubsub.get_message(timeout=min(1.0, self._sweep_s))
                if message is not None:
                    self._on_message(message)
                if time.monotonic() >= next_sweep:
                    self.sweep()
                    await _purge()
                    next_sweep = time.monotonic() + self._sweep_s

    def _set_state(self, state: State) -> None:
        if state is not self._state:
            log.info("revocation cache %s", state.value)
        self._state = state
        if state is State.READY:
            self._ready.set()

    # --- contents ------------------------------------------------------------------------

    async def reload(self) -> None:
        """Replace the contents with every live revocation; tell listeners what is new."""
        found = await store.load_all()
        old_jtis, old_users = self._jtis, self._users
        self._jtis, self._users = {}, {}
        now = time.monotonic()
        for revocation in found:
            self._put(revocation, now)
        self.loads += 1
        for revocation in found:
            if _is_new(revocation, old_jtis, old_users, now):
                self._notify(revocation)

    def sweep(self) -> None:
        """Drop the entries whose TTL has passed (PostgreSQL is purged by the scheduler)."""
        now = time.monotonic()
        self._jtis = {jti: exp for jti, exp in self._jtis.items() if exp > now}
        self._users = {user: entry for user, entry in self._users.items() if entry[1] > now}

    def _on_message(self, message: dict[str, Any]) -> None:
        if message.get("type") == "subscribe":
            raise _Resubscribed("the pub/sub connection was re-established")
        if message.get("type") != "message":
            return
        revocation = store.decode(message.get("data"))
        if revocation is None:
            log.warning("ignored a revocation message that does not parse")
            return
        now = time.monotonic()
        if _is_new(revocation, self._jtis, self._users, now):
            self._put(revocation, now)
            self._notify(revocation)

    def _put(self, revocation: Revocation, now: float) -> None:
        expiry = now + revocation.ttl_ms / 1000
        if revocation.jti is not None:
            self._jtis[revocation.jti] = max(expiry, self._jtis.get(revocation.jti, 0.0))
        elif revocation.user_id is not None:
            known = self._users.get(revocation.user_id)
            if known is None or revocation.before_us >= known[0]:
                self._users[revocation.user_id] = (revocation.before_us, expiry)

    def _notify(self, revocation: Revocation) -> None:
        for listener in self._listeners:
            try:
                listener(revocation)
            except Exception:
                log.exception("revocation listener failed")


def _is_new(
    revocation: Revocation,
    jtis: dict[str, float],
    users: dict[int, tuple[int, float]],
    now: float,
) -> bool:
    """True unless ``jtis``/``users`` already hold ``revocation`` (or a later moment)."""
    if revocation.jti is not None:
        return jtis.get(revocation.jti, 0.0) <= now
    known = users.get(revocation.user_id) if revocation.user_id is not None else None
    return known is None or known[1] <= now or revocation.before_us > known[0]


async def _purge() -> None:
    """Delete expired session rows (every web process does, now and then; harmless twice)."""
    try:
        await sessions.purge_expired()
    except Exception as error:
        log.warning("purging expired session rows failed: %s", error)


async def _confirmed(pubsub: Any) -> None:
    """Wait for the server's confirmation of the subscription."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        message = await pubsub.get_message(timeout=1.0)
        if message is not None and message.get("type") == "subscribe":
            return
    raise TimeoutError("no confirmation of the revocation subscription")

"""Who is in a league's draft room, across every process, in Redis.

One sorted set per league, ``presence:{league_id}``: a member per connected socket
(``sid|user_id|team_id``, team empty for spectators) scored by the entry's expiry time in
ms. The process holding the socket refreshes its entries (see :class:`PresenceKeeper`), so
the sockets of a killed process vanish after ``ttl_ms``. Readers ignore expired entries.
Several tabs of one user count once: online teams are distinct team ids, spectators are
distinct user ids.

    await join(redis, league_id, sid, user_id, team_id)
    await online_team_ids(redis, league_id)       # [3, 7]
    await presence(redis, league_id)              # {"online_team_ids": [...], "spectators": 2}
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

import redis.asyncio as aioredis

log = logging.getLogger("draftroom.presence")

TTL_MS = 60_000
REFRESH_S = 20.0
BATCH_S = 0.005
"""Joins and leaves within this window share one pipeline."""


def _key(league_id: int) -> str:
    return f"presence:{league_id}"


def _member(sid: str, user_id: int, team_id: int | None) -> str:
    return f"{sid}|{user_id}|{'' if team_id is None else team_id}"


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Entry:
    """One connected socket of a league room."""

    league_id: int
    sid: str
    user_id: int
    team_id: int | None


async def join(
    redis: aioredis.Redis,
    league_id: int,
    sid: str,
    user_id: int,
    team_id: int | None,
    *,
    ttl_ms: int = TTL_MS,
) -> None:
    """Record socket ``sid`` of ``user_id`` (with ``team_id``, None for a spectator)."""
    await refresh(redis, [Entry(league_id, sid, user_id, team_id)], ttl_ms=ttl_ms)


async def leave(
    redis: aioredis.Redis, league_id: int, sid: str, user_id: int, team_id: int | None
) -> None:
    """Forget socket ``sid``."""
    await redis.zrem(_key(league_id), _member(sid, user_id, team_id))


async def refresh(
    redis: aioredis.Redis, entries: Iterable[Entry], *, ttl_ms: int = TTL_MS
) -> dict[int, int]:
    """(Re)write ``entries`` with a fresh expiry and prune the expired entries of their
    leagues, in one round trip; returns how many entries were pruned per league."""
    now = _now_ms()
    members: dict[int, dict[str, int]] = {}
    for entry in entries:
        member = _member(entry.sid, entry.user_id, entry.team_id)
        members.setdefault(entry.league_id, {})[member] = now + ttl_ms
    if not members:
        return {}
    pipe = redis.pipeline(transaction=False)
    for league_id, scores in members.items():
        key = _key(league_id)
        pipe.zadd(key, scores)
        pipe.pexpire(key, ttl_ms * 2)
        pipe.zremrangebyscore(key, "-inf", now)
    replies = await pipe.execute()
    return {league_id: int(replies[3 * i + 2]) for i, league_id in enumerate(members)}


async def prune(redis: aioredis.Redis, league_id: int) -> int:
    """Remove expired entries of a league; returns how many were removed."""
    return int(await redis.zremrangebyscore(_key(league_id), "-inf", _now_ms()))


async def _live_members(redis: aioredis.Redis, league_id: int) -> list[tuple[int, int | None]]:
    return _parse(await redis.zrangebyscore(_key(league_id), _now_ms(), "+inf"))


async def online_team_ids(redis: aioredis.Redis, league_id: int) -> list[int]:
    """Ids of the teams with at least one connected socket, ascending."""
    return sorted({team for _, team in await _live_members(redis, league_id) if team is not None})


async def spectator_count(redis: aioredis.Redis, league_id: int) -> int:
    """How many distinct users watch without a team."""
    return len({user for user, team in await _live_members(redis, league_id) if team is None})


def _payload(members: Iterable[tuple[int, int | None]]) -> dict[str, object]:
    members = list(members)
    return {
        "online_team_ids": sorted({team for _, team in members if team is not None}),
        "spectators": len({user for user, team in members if team is None}),
    }


def _parse(members: Iterable[object]) -> list[tuple[int, int | None]]:
    out: list[tuple[int, int | None]] = []
    for member in members:
        text = member.decode() if isinstance(member, bytes) else str(member)
        _, user, team = text.rsplit("|", 2)
        out.append((int(user), int(team) if team else None))
    return out


async def presence(redis: aioredis.Redis, league_id: int) -> dict[str, object]:
    """The ``presence`` event payload: ``{online_team_ids, spectators}``."""
    return _payload(await _live_members(redis, league_id))


async def presences(
    redis: aioredis.Redis, league_ids: Iterable[int]
) -> dict[int, dict[str, object]]:
    """:func:`presence` of several leagues in one round trip."""
    ids = list(league_ids)
    if not ids:
        return {}
    now = _now_ms()
    pipe = redis.pipeline(transaction=False)
    for league_id in ids:
        pipe.zrangebyscore(_key(league_id), now, "+inf")
    replies = await pipe.execute()
    return {
        league_id: _payload(_parse(reply)) for league_id, reply in zip(ids, replies, strict=True)
    }


class PresenceKeeper:
    """This process's sockets: joins, leaves, and a loop refreshing their expiry.

    ``on_change(league_id)`` is awaited when the loop sees a league's presence change
    without a join or leave here: entries of a dead process expired, or entries rewritten
    after Redis lost them (a restart).
    """

    def __init__(
        self,
        redis: aioredis.Redis,
        *,
        ttl_ms: int = TTL_MS,
        refresh_s: float = REFRESH_S,
        on_change: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        self.redis = redis
        self.ttl_ms = ttl_ms
        self.refresh_s = refresh_s
        self.on_change = on_change
        self._entries: dict[str, Entry] = {}  # by sid
        self._task: asyncio.Task[None] | None = None
        self._failed = False
        self._joins: dict[str, Entry] = {}
        self._leaves: dict[str, Entry] = {}
        self._batch: asyncio.Future[None] | None = None

    def leagues(self) -> set[int]:
        """Leagues with at least one socket in this process."""
        return {entry.league_id for entry in self._entries.values()}

    async def join(self, entry: Entry) -> None:
        """Track ``entry`` here and record it in Redis (joins and leaves arriving together
        are written in one round trip: a connect wave is a few pipelines, not a write per
        socket)."""
        self._entries[entry.sid] = entry
        self._leaves.pop(entry.sid, None)
        self._joins[entry.sid] = entry
        self.ensure_running()
        await self._written()

    async def leave(self, entry: Entry) -> None:
        """Stop tracking ``entry`` and remove it from Redis."""
        self._entries.pop(entry.sid, None)
        self._joins.pop(entry.sid, None)
        self._leaves[entry.sid] = entry
        await self._written()

    async def _written(self) -> None:
        """Wait for the batch that carries what was just queued (group commit)."""
        if self._batch is None:
            self._batch = asyncio.get_running_loop().create_future()
            asyncio.get_running_loop().call_later(BATCH_S, self._flush_soon)
        await asyncio.shield(self._batch)

    def _flush_soon(self) -> None:
        asyncio.get_running_loop().create_task(self._flush())

    async def _flush(self) -> None:
        batch, self._batch = self._batch, None
        joins, self._joins = list(self._joins.values()), {}
        leaves, self._leaves = list(self._leaves.values()), {}
        try:
            pipe = self.redis.pipeline(transaction=False)
            now = _now_ms()
            for entry in leaves:
                member = _member(entry.sid, entry.user_id, entry.team_id)
                pipe.zrem(_key(entry.league_id), member)
            for entry in joins:
                member = _member(entry.sid, entry.user_id, entry.team_id)
                pipe.zadd(_key(entry.league_id), {member: now + self.ttl_ms})
                pipe.pexpire(_key(entry.league_id), self.ttl_ms * 2)
            await pipe.execute()
        except Exception as error:
            if batch is not None and not batch.done():
                batch.set_exception(error)
                batch.exception()  # retrieved: callers that left need not see it
            return
        if batch is not None and not batch.done():
            batch.set_result(None)

    def ensure_running(self) -> None:
        """Start the refresh loop if it is not running."""
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop the refresh loop."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def refresh_once(self) -> None:
        """Rewrite every local entry's expiry and prune expired ones of local leagues."""
        entries = list(self._entries.values())
        removed = await refresh(self.redis, entries, ttl_ms=self.ttl_ms)
        gone = [e for e in entries if self._entries.get(e.sid) != e]
        for entry in gone:  # left while the refresh was in flight: do not resurrect it
            await leave(self.redis, entry.league_id, entry.sid, entry.user_id, entry.team_id)
        recovered, self._failed = self._failed, False
        for league_id, count in removed.items():
            if (count or recovered) and self.on_change is not None:
                await self.on_change(league_id)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(1.0 if self._failed else self.refresh_s)
            try:
                await self.refresh_once()
            except asyncio.CancelledError:
                raise
            except Exception:
                self._failed = True
                log.warning("presence refresh failed; retrying", exc_info=True)

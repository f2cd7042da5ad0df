"""Revocations of access tokens: durable in PostgreSQL, announced through Redis.

A revocation covers one token (its ``jti``) until it would have expired, or every token of
a user issued at or before a moment in microseconds (logout everywhere, password change).
It is written to PostgreSQL (:mod:`draftroom.db.queries.sessions`), the source of truth, then
announced on the pub/sub channel ``CHANNEL``, so a process that loaded every revocation
once and follows the channel knows them all
(:class:`draftroom.coordination.revocations.RevocationCache`). Redis holds no revocation:
losing Redis (a restart without persistence) loses nothing but announcements, and every
cache reloads from PostgreSQL when its feed reconnects.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, NamedTuple

import redis.asyncio as aioredis

from draftroom.db.queries import sessions

log = logging.getLogger("draftroom.revocations")

CHANNEL = "draftroom:revocations"


class Marks(NamedTuple):
    """What is known against one token: its own revocation and its user's moment (µs)."""

    jti_revoked: bool
    revoked_before_us: int | None


@dataclass(frozen=True)
class Revocation:
    """One token (``jti``) or every token of ``user_id`` issued up to ``before_us``.

    ``ttl_ms`` is how long the revocation matters (after that, the tokens it covers have
    expired anyway)."""

    jti: str | None
    user_id: int | None
    before_us: int
    ttl_ms: int

    @classmethod
    def token(cls, jti: str, ttl_ms: int) -> Revocation:
        """The revocation of one token."""
        return cls(jti, None, 0, ttl_ms)

    @classmethod
    def user(cls, user_id: int, before_us: int, ttl_ms: int) -> Revocation:
        """The revocation of every token of ``user_id`` issued up to ``before_us``."""
        return cls(None, user_id, before_us, ttl_ms)


def encode(revocation: Revocation) -> str:
    """The wire form of a revocation on ``CHANNEL``."""
    if revocation.jti is not None:
        return json.dumps({"jti": revocation.jti, "ttl_ms": revocation.ttl_ms})
    return json.dumps(
        {"user": revocation.user_id, "before_us": revocation.before_us, "ttl_ms": revocation.ttl_ms}
    )


def decode(data: Any) -> Revocation | None:
    """A revocation from its wire form; None when it does not parse."""
    try:
        body = json.loads(data)
        ttl_ms = int(body["ttl_ms"])
        if "jti" in body:
            return Revocation.token(str(body["jti"]), ttl_ms)
        return Revocation.user(int(body["user"]), int(body["before_us"]), ttl_ms)
    except (TypeError, ValueError, KeyError):
        return None


async def store(redis: aioredis.Redis, revocation: Revocation) -> None:
    """Write ``revocation`` to PostgreSQL (the source of truth), then announce it on
    ``CHANNEL``. A failed announcement is logged, not raised: the revocation is durable and
    every cache reloads from PostgreSQL whenever its feed reconnects."""
    ttl_ms = max(1, revocation.ttl_ms)
    if revocation.jti is not None:
        await sessions.revoke_token(revocation.jti, ttl_ms)
    else:
        assert revocation.user_id is not None
        await sessions.revoke_user(revocation.user_id, revocation.before_us, ttl_ms)
    try:
        await redis.publish(CHANNEL, encode(revocation))
    except Exception as error:
        log.warning("revocation stored but not announced (%s); caches reload it", error)


async def fetch_marks(jti: str, user_id: int) -> Marks:
    """The marks of one token, read from PostgreSQL (errors propagate: fail closed)."""
    jti_revoked, before = await sessions.revocation_marks(jti, user_id)
    return Marks(jti_revoked, before)


async def load_all() -> list[Revocation]:
    """Every revocation that still matters, from PostgreSQL, with its remaining TTL."""
    return [
        Revocation(row.jti, row.user_id, row.before_us, row.ttl_ms)
        for row in await sessions.live_revocations()
    ]

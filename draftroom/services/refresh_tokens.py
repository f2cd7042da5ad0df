"""Refresh tokens in PostgreSQL: families, rotation and reuse detection.

A login starts a *family*. A refresh token is ``<family>.<secret>``; the database keeps only
a SHA-256 of the secret (:mod:`draftroom.db.queries.sessions`). Refreshing spends the presented
token and issues a new pair in the same family under the family's row lock, so of two
concurrent refreshes with one token exactly one wins. Presenting a spent token means it was
stolen or replayed: the whole family is revoked, with the access token it issued last, and
the caller gets 401. PostgreSQL is the source of truth, so a Redis restart logs nobody out.
"""

from __future__ import annotations

import hashlib
import re
import secrets

import redis.asyncio as aioredis

from draftroom.config import Settings
from draftroom.contracts.auth import TokenPair
from draftroom.db.queries import sessions
from draftroom.errors import Unauthorized
from draftroom.services.tokens import (
    AuthUser,
    decode_access_token,
    issue_access_token,
    revoke_access_token,
)

_TOKEN = re.compile(r"^([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$")


def _invalid(reason: str = "invalid") -> Unauthorized:
    return Unauthorized("The refresh token is not valid.", details={"reason": reason})


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _parse(token: str) -> tuple[str, str]:
    match = _TOKEN.match(token)
    if match is None:
        raise _invalid()
    return match.group(1), match.group(2)


def _pair(settings: Settings, access_token: str, family: str, secret: str) -> TokenPair:
    return TokenPair(
        access_token=access_token,
        refresh_token=f"{family}.{secret}",
        expires_in=settings.access_token_ttl_s,
    )


def _new_access(settings: Settings, user_id: int, is_admin: bool) -> tuple[str, AuthUser]:
    token = issue_access_token(settings, user_id, is_admin=is_admin)
    return token, decode_access_token(settings, token)


async def issue_pair(
    settings: Settings, redis: aioredis.Redis, user_id: int, *, is_admin: bool = False
) -> TokenPair:
    """Start a new family: ``{access_token, refresh_token, token_type, expires_in}``."""
    family, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
    access_token, access = _new_access(settings, user_id, is_admin)
    await sessions.start_family(
        family, user_id, _hash(secret), access.jti, access.expires_at,
        settings.refresh_token_ttl_s,
    )  # fmt: skip
    return _pair(settings, access_token, family, secret)


async def owner(redis: aioredis.Redis, refresh_token: str) -> int:
    """The user id of the family of ``refresh_token``, or Unauthorized when it is revoked."""
    family, _ = _parse(refresh_token)
    user_id = await sessions.family_owner(family)
    if user_id is None:
        raise _invalid("revoked")
    return user_id


async def rotate(
    settings: Settings,
    redis: aioredis.Redis,
    refresh_token: str,
    user_id: int,
    *,
    is_admin: bool = False,
) -> TokenPair:
    """Spend ``refresh_token`` and return a new pair of the same family.

    A spent token revokes its family (and the family's last access token) and raises
    Unauthorized with ``details.reason == "reused"``.
    """
    family, secret = _parse(refresh_token)
    new_secret = secrets.token_urlsafe(32)
    access_token, access = _new_access(settings, user_id, is_admin)
    done = await sessions.rotate(
        family, user_id, _hash(secret), _hash(new_secret), access.jti, access.expires_at,
        settings.refresh_token_ttl_s,
    )  # fmt: skip
    if done.outcome == "ok":
        return _pair(settings, access_token, family, new_secret)
    if done.outcome == "reused":
        if done.last_jti:
            await revoke_access_token(redis, AuthUser(user_id, done.last_jti, 0, done.last_exp))
        raise Unauthorized(
            "This refresh token was already used; the session has been revoked.",
            details={"reason": "reused"},
        )
    raise _invalid(done.outcome)


async def _revoke_last_access(
    redis: aioredis.Redis, user_id: int, last: list[tuple[str, int]]
) -> None:
    for jti, exp in last:
        if jti:
            await revoke_access_token(redis, AuthUser(user_id, jti, 0, exp))


async def revoke_family(redis: aioredis.Redis, refresh_token: str, *, user_id: int) -> bool:
    """Revoke the family of ``refresh_token`` if it belongs to ``user_id``; True if it did."""
    try:
        family, _ = _parse(refresh_token)
    except Unauthorized:
        return False
    last = await sessions.revoke_families(user_id, family)
    await _revoke_last_access(redis, user_id, last)
    return bool(last)


async def revoke_all_for_user(redis: aioredis.Redis, user_id: int) -> None:
    """Revoke every refresh family of ``user_id`` (e.g. after a password change)."""
    await _revoke_last_access(redis, user_id, await sessions.revoke_families(user_id))

"""Access tokens: HS256 JWTs with ``sub``, ``jti``, ``iat``, ``exp``; durable revocations.

Revocation has two forms: one token (its jti, until it would expire) and every token of a
user issued before a moment (e.g. after a password change). That moment is kept in
microseconds (claim ``iat_us``), so a token issued right after the revocation, in the same
second, stays valid. Revocations are stored in PostgreSQL and announced on pub/sub
(:mod:`draftroom.coordination.revocation_store`); web processes check tokens against their
in-memory :class:`~draftroom.coordination.revocations.RevocationCache`, other callers (and a
cache that is not ready) read PostgreSQL, and fail closed (503) when it cannot answer.
"""

from __future__ import annotations

import functools
import secrets
import time
from dataclasses import dataclass

import jwt
import redis.asyncio as aioredis

from draftroom.config import Settings
from draftroom.coordination import revocation_store
from draftroom.coordination.revocation_store import Marks, Revocation
from draftroom.coordination.revocations import RevocationCache
from draftroom.errors import ServiceUnavailable, Unauthorized

ALGORITHM = "HS256"


@dataclass(frozen=True)
class AuthUser:
    """The verified identity behind an access token."""

    user_id: int
    jti: str
    issued_at: int
    expires_at: int
    is_admin: bool = False
    issued_at_us: int = 0
    """Issue time in microseconds (``iat_us``; ``iat`` * 10**6 for tokens without it)."""


def issue_access_token(settings: Settings, user_id: int, *, is_admin: bool = False) -> str:
    """A signed access token for ``user_id`` valid for ``access_token_ttl_s``."""
    now_us = time.time_ns() // 1000
    now = now_us // 1_000_000
    claims = {
        "sub": str(user_id),
        "jti": secrets.token_urlsafe(16),
        "iat": now,
        "iat_us": now_us,
        "exp": now + settings.access_token_ttl_s,
        "adm": is_admin,
        "typ": "access",
    }
    return jwt.encode(claims, settings.secret_key, algorithm=ALGORITHM)


def decode_access_token(settings: Settings, token: str) -> AuthUser:
    """Check signature (HS256 only: ``none`` and other algorithms are refused) and expiry.

    The signature check of a token string is memoised (a socket presents the same token
    with every event); expiry is checked against the clock on every call."""
    user = _decode_signed(settings.secret_key, token)
    if user.expires_at <= time.time():
        raise Unauthorized("The access token has expired.", details={"reason": "expired"})
    return user


@functools.lru_cache(maxsize=16_384)
def _decode_signed(secret_key: str, token: str) -> AuthUser:
    try:
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "jti", "iat", "exp"], "verify_exp": False},
        )
    except jwt.PyJWTError:
        raise Unauthorized(
            "The access token is not valid.", details={"reason": "invalid"}
        ) from None
    if claims.get("typ") != "access":
        raise Unauthorized("The access token is not valid.", details={"reason": "invalid"})
    try:
        user_id = int(claims["sub"])
        expires_at = int(claims["exp"])
        issued_at = int(claims["iat"])
    except (TypeError, ValueError):
        raise Unauthorized(
            "The access token is not valid.", details={"reason": "invalid"}
        ) from None
    iat_us = claims.get("iat_us")
    issued_at_us = iat_us if isinstance(iat_us, int) else issued_at * 1_000_000
    return AuthUser(
        user_id=user_id,
        jti=str(claims["jti"]),
        issued_at=issued_at,
        expires_at=expires_at,
        is_admin=bool(claims.get("adm", False)),
        issued_at_us=issued_at_us,
    )


def is_revoked(marks: Marks, issued_at_us: int) -> bool:
    """The rule: a token is revoked by its own mark or by its user's later-or-equal moment."""
    before = marks.revoked_before_us
    return marks.jti_revoked or (before is not None and issued_at_us <= before)


async def revocation_marks(
    redis: aioredis.Redis, user: AuthUser, revocations: RevocationCache | None = None
) -> Marks:
    """The marks against ``user``'s token: from the cache when it is ready, else from
    PostgreSQL (their source of truth).

    ServiceUnavailable when neither can answer (fail closed)."""
    marks = revocations.marks(user.jti, user.user_id) if revocations is not None else None
    if marks is not None:
        return marks
    try:
        return await revocation_store.fetch_marks(user.jti, user.user_id)
    except Exception as exc:
        raise ServiceUnavailable("Cannot check the token right now.") from exc


async def verify_access_token(
    settings: Settings,
    redis: aioredis.Redis,
    token: str,
    revocations: RevocationCache | None = None,
) -> AuthUser:
    """Decode ``token`` and check it has not been revoked (see :func:`revocation_marks`)."""
    user = decode_access_token(settings, token)
    if is_revoked(await revocation_marks(redis, user, revocations), user.issued_at_us):
        raise Unauthorized("The access token has been revoked.", details={"reason": "revoked"})
    return user


async def revoke_access_token(redis: aioredis.Redis, user: AuthUser) -> None:
    """Revoke one access token until it would have expired anyway (and announce it)."""
    ttl_s = max(1, user.expires_at - int(time.time()) + 1)
    await revocation_store.store(redis, Revocation.token(user.jti, ttl_s * 1000))


async def revoke_all_for_user(settings: Settings, redis: aioredis.Redis, user_id: int) -> None:
    """Revoke every access token of ``user_id`` issued up to now (microsecond precision)."""
    ttl_ms = (settings.access_token_ttl_s + 5) * 1000
    await revocation_store.store(redis, Revocation.user(user_id, time.time_ns() // 1000, ttl_ms))

"""Access tokens: HS256 JWTs with ``sub``, ``jti``, ``iat``, ``exp``; revocations in Redis.

Revocation has two forms: one token (``revoked:jti:<jti>`` until it would expire) and every
token of a user issued before a moment (``revoked:user:<id>``, e.g. after a password change).
That moment is kept in microseconds (claim ``iat_us``), so a token issued right after the
revocation, in the same second, stays valid.
"""

from __future__ import annotations

import functools
import secrets
import time
from dataclasses import dataclass

import jwt
import redis.asyncio as aioredis

from draftroom.config import Settings
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


async def verify_access_token(settings: Settings, redis: aioredis.Redis, token: str) -> AuthUser:
    """Decode ``token`` and check it has not been revoked."""
    user = decode_access_token(settings, token)
    try:
        revoked_jti, revoked_before = await redis.mget(
            f"revoked:jti:{user.jti}", f"revoked:user:{user.user_id}"
        )
    except Exception as exc:
        raise ServiceUnavailable("Cannot check the token right now.") from exc
    if revoked_jti is not None or (revoked_before and user.issued_at_us <= int(revoked_before)):
        raise Unauthorized("The access token has been revoked.", details={"reason": "revoked"})
    return user


async def revoke_access_token(redis: aioredis.Redis, user: AuthUser) -> None:
    """Revoke one access token until it would have expired anyway."""
    ttl = max(1, user.expires_at - int(time.time()) + 1)
    await redis.set(f"revoked:jti:{user.jti}", "1", ex=ttl)


async def revoke_all_for_user(settings: Settings, redis: aioredis.Redis, user_id: int) -> None:
    """Revoke every access token of ``user_id`` issued up to now (microsecond precision)."""
    await redis.set(
        f"revoked:user:{user_id}", str(time.time_ns() // 1000), ex=settings.access_token_ttl_s + 5
    )

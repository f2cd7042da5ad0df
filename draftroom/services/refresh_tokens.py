"""Refresh tokens in Redis: families, rotation and reuse detection.

A login starts a *family*. A refresh token is ``<family>.<secret>``; Redis keeps only a
SHA-256 of the secret. Refreshing spends the presented token and issues a new pair in the
same family, atomically (one Lua script), so of two concurrent refreshes with one token
exactly one wins. Presenting a spent token means it was stolen or replayed: the whole
family is revoked, with the access token it issued last, and the caller gets 401.

Keys (the ``{family}`` hash tag keeps a family in one Redis Cluster slot):
``auth:rtf:{F}`` hash ``user, jti, exp`` (the family's last access token) ·
``auth:rtf:{F}:t:<sha256>`` ``active|spent`` · ``auth:rtu:<user_id>`` set of families.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any, cast

import redis.asyncio as aioredis

from draftroom.config import Settings
from draftroom.errors import Unauthorized
from draftroom.services.tokens import (
    AuthUser,
    decode_access_token,
    issue_access_token,
    revoke_access_token,
)

_TOKEN = re.compile(r"^([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$")

# KEYS: family, presented token, new token. ARGV: user id, ttl s, new access jti, its exp.
_ROTATE = """
local state = redis.call('GET', KEYS[2])
if not state then return {'invalid'} end
local owner = redis.call('HGET', KEYS[1], 'user')
if not owner then return {'revoked'} end
if owner ~= ARGV[1] then return {'invalid'} end
if state ~= 'active' then
  local jti = redis.call('HGET', KEYS[1], 'jti') or ''
  local exp = redis.call('HGET', KEYS[1], 'exp') or '0'
  redis.call('DEL', KEYS[1])
  return {'reused', jti, exp}
end
redis.call('SET', KEYS[2], 'spent', 'KEEPTTL')
redis.call('SET', KEYS[3], 'active', 'EX', ARGV[2])
redis.call('HSET', KEYS[1], 'jti', ARGV[3], 'exp', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return {'ok'}
"""


def _invalid(reason: str = "invalid") -> Unauthorized:
    return Unauthorized("The refresh token is not valid.", details={"reason": reason})


def _family_key(family: str) -> str:
    return f"auth:rtf:{{{family}}}"


def _token_key(family: str, secret: str) -> str:
    return f"{_family_key(family)}:t:{hashlib.sha256(secret.encode()).hexdigest()}"


def _user_key(user_id: int) -> str:
    return f"auth:rtu:{user_id}"


def _parse(token: str) -> tuple[str, str]:
    match = _TOKEN.match(token)
    if match is None:
        raise _invalid()
    return match.group(1), match.group(2)


def _pair(settings: Settings, access_token: str, family: str, secret: str) -> dict[str, Any]:
    return {
        "access_token": access_token,
        "refresh_token": f"{family}.{secret}",
        "token_type": "bearer",
        "expires_in": settings.access_token_ttl_s,
    }


def _new_access(settings: Settings, user_id: int, is_admin: bool) -> tuple[str, AuthUser]:
    token = issue_access_token(settings, user_id, is_admin=is_admin)
    return token, decode_access_token(settings, token)


async def issue_pair(
    settings: Settings, redis: aioredis.Redis, user_id: int, *, is_admin: bool = False
) -> dict[str, Any]:
    """Start a new family: ``{access_token, refresh_token, token_type, expires_in}``."""
    family, secret = secrets.token_urlsafe(12), secrets.token_urlsafe(32)
    access_token, access = _new_access(settings, user_id, is_admin)
    ttl = settings.refresh_token_ttl_s
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hset(
            _family_key(family),
            mapping={"user": str(user_id), "jti": access.jti, "exp": str(access.expires_at)},
        )
        pipe.expire(_family_key(family), ttl)
        pipe.set(_token_key(family, secret), "active", ex=ttl)
        pipe.sadd(_user_key(user_id), family)
        pipe.expire(_user_key(user_id), ttl)
        await pipe.execute()
    return _pair(settings, access_token, family, secret)


async def owner(redis: aioredis.Redis, refresh_token: str) -> int:
    """The user id of the family of ``refresh_token``, or Unauthorized when it is revoked."""
    family, _ = _parse(refresh_token)
    user = await redis.hget(_family_key(family), "user")
    if user is None:
        raise _invalid("revoked")
    return int(user)


async def rotate(
    settings: Settings,
    redis: aioredis.Redis,
    refresh_token: str,
    user_id: int,
    *,
    is_admin: bool = False,
) -> dict[str, Any]:
    """Spend ``refresh_token`` and return a new pair of the same family.

    A spent token revokes its family (and the family's last access token) and raises
    Unauthorized with ``details.reason == "reused"``.
    """
    family, secret = _parse(refresh_token)
    new_secret = secrets.token_urlsafe(32)
    access_token, access = _new_access(settings, user_id, is_admin)
    script = redis.register_script(_ROTATE)
    keys = [_family_key(family), _token_key(family, secret), _token_key(family, new_secret)]
    args: list[str | int] = [
        str(user_id),
        settings.refresh_token_ttl_s,
        access.jti,
        str(access.expires_at),
    ]
    outcome = [str(part) for part in await script(keys=keys, args=args)]
    if outcome[0] == "ok":
        return _pair(settings, access_token, family, new_secret)
    if outcome[0] == "reused":
        await redis.srem(_user_key(user_id), family)
        if outcome[1]:
            await revoke_access_token(redis, AuthUser(user_id, outcome[1], 0, int(outcome[2])))
        raise Unauthorized(
            "This refresh token was already used; the session has been revoked.",
            details={"reason": "reused"},
        )
    raise _invalid(outcome[0])


async def _revoke_families(redis: aioredis.Redis, user_id: int, families: list[str]) -> None:
    for family in families:
        stored = cast(dict[str, str], await redis.hgetall(_family_key(family)))
        await redis.delete(_family_key(family))
        if stored.get("jti"):
            last = AuthUser(user_id, stored["jti"], 0, int(stored.get("exp", 0)))
            await revoke_access_token(redis, last)
    if families:
        await redis.srem(_user_key(user_id), *families)


async def revoke_family(redis: aioredis.Redis, refresh_token: str, *, user_id: int) -> bool:
    """Revoke the family of ``refresh_token`` if it belongs to ``user_id``; True if it did."""
    try:
        family, _ = _parse(refresh_token)
    except Unauthorized:
        return False
    if await redis.hget(_family_key(family), "user") != str(user_id):
        return False
    await _revoke_families(redis, user_id, [family])
    return True


async def revoke_all_for_user(redis: aioredis.Redis, user_id: int) -> None:
    """Revoke every refresh family of ``user_id`` (e.g. after a password change)."""
    families = sorted(str(family) for family in await redis.smembers(_user_key(user_id)))
    await _revoke_families(redis, user_id, families)

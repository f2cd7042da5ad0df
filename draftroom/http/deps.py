"""Access to the process Runtime and the authenticated user from inside a request."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from quart import current_app, g, request

from draftroom.errors import Forbidden, Unauthorized
from draftroom.http.openapi import AUTH_ATTRIBUTE
from draftroom.services import accounts
from draftroom.services.runtime import Runtime
from draftroom.services.tokens import AuthUser, verify_access_token

P = ParamSpec("P")
R = TypeVar("R")


def runtime() -> Runtime:
    """The Runtime of this process."""
    rt: Runtime = current_app.extensions["draftroom"]
    return rt


def bearer_token() -> str | None:
    """The bearer token of the Authorization header, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


async def authenticate() -> AuthUser:
    """The verified user of this request, or Unauthorized."""
    cached: AuthUser | None = g.get("auth_user")
    if cached is not None:
        return cached
    token = bearer_token()
    if token is None:
        raise Unauthorized("Send 'Authorization: Bearer <access_token>'.")
    rt = runtime()
    user = await verify_access_token(rt.settings, rt.redis, token, rt.revocations)
    g.auth_user = user
    return user


async def optional_user() -> AuthUser | None:
    """The verified user when a token is sent, else None (for public routes)."""
    return await authenticate() if bearer_token() is not None else None


def current_user() -> AuthUser:
    """The user authenticated by ``require_user`` for this request."""
    user: AuthUser = g.auth_user
    return user


async def confirmed_admin(user: AuthUser | None) -> bool:
    """True when the token says admin and the account still is one (no query otherwise)."""
    return user is not None and user.is_admin and await accounts.is_admin(user.user_id)


def require_user(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Route decorator: a valid, unrevoked access token is required."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        await authenticate()
        return await fn(*args, **kwargs)

    setattr(wrapper, AUTH_ATTRIBUTE, "user")  # OpenAPI: bearer security, 401/403
    return wrapper


def require_admin(fn: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Route decorator: the user must be an admin (checked against the database)."""

    @functools.wraps(fn)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        user = await authenticate()
        if not await accounts.is_admin(user.user_id):
            raise Forbidden("Administrators only.")
        return await fn(*args, **kwargs)

    setattr(wrapper, AUTH_ATTRIBUTE, "admin")
    return wrapper

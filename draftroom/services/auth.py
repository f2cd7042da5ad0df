"""Sign-up, login, refresh and logout, with per-address rate limits and account lockout.

Every function takes the caller's network address (the HTTP layer decides what it is) and
counts the attempt against that address's limit before doing any work, so a flood costs
one Redis round trip per request, not an Argon2 hash.
"""

from __future__ import annotations

from draftroom.contracts.auth import TokenPair, User
from draftroom.coordination.ratelimit import Rate, RateLimiter
from draftroom.errors import NotFound, RateLimited, Unauthorized
from draftroom.services import accounts, lockout, passwords, refresh_tokens
from draftroom.services.runtime import Runtime
from draftroom.services.tokens import AuthUser, revoke_access_token, revoke_all_for_user

# Per client address; change here to tune.
LOGIN_RATE = Rate(20, 60)
REGISTER_RATE = Rate(10, 3600)
REFRESH_RATE = Rate(60, 60)

WRONG_CREDENTIALS = "Wrong username or password."


async def limit_address(
    rt: Runtime, action: str, address: str, rate: Rate, *, message: str | None = None
) -> None:
    """Count one ``action`` from ``address`` (or another key, with its own ``message``);
    RateLimited (429, Retry-After) over ``rate``."""
    limiter = RateLimiter(rt.redis, prefix="draftroom:authrate:")
    allowed, retry_after_s = await limiter.hit_rates(f"{action}:{address}", [rate])
    if not allowed:
        raise RateLimited(
            message or f"Too many {action} attempts from your address; try again later.",
            retry_after=max(1, int(retry_after_s + 0.999)),
        )


async def register(
    rt: Runtime,
    username: str,
    email: str,
    password: str,
    *,
    address: str,
    display_name: str | None = None,
) -> User:
    """Create an account (see :func:`accounts.create_user`), rate-limited per address."""
    await limit_address(rt, "registration", address, REGISTER_RATE)
    return await accounts.create_user(username, email, password, display_name=display_name)


async def login(rt: Runtime, identifier: str, password: str, *, address: str) -> TokenPair:
    """Log in by username or email: ``{access_token, refresh_token, token_type, expires_in}``.

    Wrong credentials: Unauthorized with one message whether or not the account exists (an
    unknown name still costs one hash verification). The 5th failure within 15 minutes locks
    the account for 15 minutes: RateLimited until then, even with the right password.
    """
    await limit_address(rt, "login", address, LOGIN_RATE)
    account = await accounts.find_credentials(identifier)
    key = lockout.account_key(account.user_id) if account else lockout.name_key(identifier)
    await lockout.ensure_not_locked(rt.redis, key)
    if account is None:
        await passwords.dummy_verify(password)
        matched = False
    else:
        matched = await passwords.verify_password(account.password_hash, password)
    if account is None or not matched:
        locked_s = await lockout.record_failure(rt.redis, key)
        if locked_s:
            raise RateLimited(lockout.LOCKED_MESSAGE, retry_after=locked_s)
        raise Unauthorized(WRONG_CREDENTIALS)
    await lockout.clear_failures(rt.redis, key)
    if passwords.needs_rehash(account.password_hash):
        new_hash = await passwords.hash_password(password)
        await accounts.set_password_hash(account.user_id, new_hash, expected=account.password_hash)
    return await refresh_tokens.issue_pair(
        rt.settings, rt.redis, account.user_id, is_admin=account.is_admin
    )


async def refresh(rt: Runtime, refresh_token: str, *, address: str) -> TokenPair:
    """Spend ``refresh_token`` for a new pair; a reused token revokes its family (401)."""
    await limit_address(rt, "refresh", address, REFRESH_RATE)
    user_id = await refresh_tokens.owner(rt.redis, refresh_token)
    try:
        account = await accounts.get_user(user_id)
    except NotFound:
        await refresh_tokens.revoke_family(rt.redis, refresh_token, user_id=user_id)
        raise Unauthorized(
            "The refresh token is not valid.", details={"reason": "revoked"}
        ) from None
    return await refresh_tokens.rotate(
        rt.settings, rt.redis, refresh_token, user_id, is_admin=account.is_admin
    )


async def logout(rt: Runtime, user: AuthUser, refresh_token: str | None) -> None:
    """Revoke the caller's access token and the refresh family of ``refresh_token``.

    A refresh token that is unknown, already revoked or another user's is ignored, so
    logging out twice is harmless.
    """
    await revoke_access_token(rt.redis, user)
    if refresh_token:
        await refresh_tokens.revoke_family(rt.redis, refresh_token, user_id=user.user_id)


async def end_all_sessions(rt: Runtime, user_id: int) -> None:
    """Revoke every access token and refresh family of ``user_id`` (on every process: its
    sockets are disconnected), e.g. after the password changed."""
    await revoke_all_for_user(rt.settings, rt.redis, user_id)
    await refresh_tokens.revoke_all_for_user(rt.redis, user_id)

"""A user's own profile: read it, change display name, email or password."""

from __future__ import annotations

from typing import Any

from draftroom.contracts.auth import TokenPair, User
from draftroom.errors import Forbidden, RateLimited, ValidationFailed
from draftroom.services import accounts, lockout, passwords, refresh_tokens
from draftroom.services.auth import end_all_sessions
from draftroom.services.runtime import Runtime


async def get_profile(user_id: int) -> User:
    """The profile of ``user_id``."""
    return await accounts.get_user(user_id)


async def _check_current_password(
    rt: Runtime, account: accounts.Credentials, current_password: str
) -> None:
    """Verify ``current_password``; wrong guesses count toward the account's lockout."""
    key = lockout.account_key(account.user_id)
    await lockout.ensure_not_locked(rt.redis, key)
    if await passwords.verify_password(account.password_hash, current_password):
        await lockout.clear_failures(rt.redis, key)
        return
    locked_s = await lockout.record_failure(rt.redis, key)
    if locked_s:
        raise RateLimited(lockout.LOCKED_MESSAGE, retry_after=locked_s)
    raise Forbidden(
        "The current password is not correct.",
        details=[
            {
                "field": "current_password",
                "message": "The current password is not correct.",
                "type": "password_mismatch",
            }
        ],
    )


async def update_profile(
    rt: Runtime,
    user_id: int,
    *,
    display_name: str | None = None,
    email: str | None = None,
    password: str | None = None,
    current_password: str | None = None,
) -> tuple[User, TokenPair | None]:
    """Apply the given changes; returns ``(profile, token pair or None)``.

    Changing the password needs ``current_password`` (422 when missing, 403 when wrong, 429
    once the account is locked). It revokes every access and refresh token of the user and
    returns a fresh pair so the caller's own session continues.
    """
    account = await accounts.credentials_of(user_id)
    problems: list[dict[str, Any]] = []
    new_name = new_email = None
    if display_name is not None:
        try:
            new_name = accounts.clean_display_name(display_name)
        except ValidationFailed as error:
            problems += error.details
    if email is not None:
        try:
            new_email = accounts.normalize_email(email)
        except ValidationFailed as error:
            problems += error.details
    if password is not None:
        problems += passwords.policy_problems(password, account.username)
        if not current_password:
            problems.append(
                {
                    "field": "current_password",
                    "message": "Send current_password to change the password.",
                    "type": "missing",
                }
            )
    if problems:
        raise ValidationFailed("The profile changes are not valid.", details=problems)
    new_hash = None
    if password is not None and current_password:
        await _check_current_password(rt, account, current_password)
        new_hash = await passwords.hash_password(password)
    profile = await accounts.update_account(
        user_id, display_name=new_name, email=new_email, password_hash=new_hash
    )
    if new_hash is None:
        return profile, None
    await end_all_sessions(rt, user_id)
    pair = await refresh_tokens.issue_pair(
        rt.settings, rt.redis, user_id, is_admin=profile.is_admin
    )
    return profile, pair

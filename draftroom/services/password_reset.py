"""Forgotten passwords: mail a single-use reset link, then set a new password with it.

``forgot`` answers the same way, in about the same time, whether or not the address has an
account (no enumeration): the work is padded to ``FORGOT_MIN_S``. The token is 32 random
bytes; only its SHA-256 is stored, it expires after 30 minutes and is spent by one reset.
A reset spends every outstanding token of the user and ends all of their sessions.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import secrets
import time
from datetime import UTC, datetime, timedelta

from draftroom.coordination.ratelimit import Rate
from draftroom.db.engine import DB
from draftroom.db.queries import password_resets as queries
from draftroom.errors import InvalidResetToken
from draftroom.services import accounts, lockout, outbox, passwords
from draftroom.services.auth import end_all_sessions, limit_address
from draftroom.services.runtime import Runtime

log = logging.getLogger("draftroom.auth")

TOKEN_TTL = timedelta(minutes=30)
FORGOT_MIN_S = 0.25
# Per client address, and per e-mail address / account; change here to tune.
FORGOT_ADDRESS_RATE = Rate(20, 3600)
FORGOT_EMAIL_RATE = Rate(5, 3600)
RESET_ADDRESS_RATE = Rate(20, 3600)
RESET_ACCOUNT_RATE = Rate(10, 3600)

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def hash_token(token: str) -> str:
    """The stored form of a reset token."""
    return hashlib.sha256(token.encode()).hexdigest()


def reset_link(rt: Runtime, token: str) -> str:
    """The browser page that sets a new password with ``token``."""
    return f"{rt.settings.site_url}/#/reset?token={token}"


def _mail_body(username: str, link: str) -> str:
    return (
        f"Hello {username},\n\n"
        "someone (hopefully you) asked to reset the password of your draftroom account.\n"
        f"Open this link within 30 minutes to choose a new one:\n\n{link}\n\n"
        "The link works once. If you did not ask for it, ignore this mail: "
        "your password stays as it is.\n"
    )


async def forgot(rt: Runtime, email: str, *, address: str) -> None:
    """Mail a reset link to the account of ``email``, if there is one.

    ValidationFailed when ``email`` is not an address; RateLimited past the per-address or
    per-e-mail limit (the same for known and unknown addresses). Otherwise returns after
    at least ``FORGOT_MIN_S`` whatever happened.
    """
    started = time.perf_counter()
    normalized = accounts.normalize_email(email)
    await limit_address(rt, "reset mail", address, FORGOT_ADDRESS_RATE)
    email_key = "email:" + hashlib.sha256(normalized.lower().encode()).hexdigest()[:32]
    await limit_address(
        rt,
        "password reset",
        email_key,
        FORGOT_EMAIL_RATE,
        message="Too many reset mails asked for this address; try again later.",
    )
    account = await accounts.find_credentials(normalized)
    if account is not None:
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        link = reset_link(rt, token)
        async with DB.transaction():
            await queries.insert(account.user_id, hash_token(token), now + TOKEN_TTL, now)
            await outbox.enqueue(
                normalized,
                "Reset your draftroom password",
                _mail_body(account.username, link),
                kind="password_reset",
            )
        if rt.settings.dev_mailbox:
            log.info("password reset link for %s: %s", account.username, link)
    remaining = FORGOT_MIN_S - (time.perf_counter() - started)
    if remaining > 0:
        await asyncio.sleep(remaining)


async def _owner_of(token: str) -> tuple[int, str]:
    """The ``(user_id, username)`` a usable token belongs to; InvalidResetToken otherwise."""
    if not _TOKEN.fullmatch(token):
        raise InvalidResetToken(details={"reason": "malformed"})
    row = await queries.by_hash(hash_token(token))
    if row is None:
        raise InvalidResetToken(details={"reason": "unknown"})
    if row["used_at"] is not None:
        raise InvalidResetToken(details={"reason": "used"})
    if row["expires_at"] <= datetime.now(UTC):
        raise InvalidResetToken(details={"reason": "expired"})
    return row["user"], row["user.username"]


async def reset(rt: Runtime, token: str, password: str, *, address: str) -> int:
    """Set the password of the token's user, spend the token (and every other one of the
    user), revoke all of the user's sessions and lift a login lockout; the user's id.

    InvalidResetToken (400, ``details.reason``: malformed, unknown, used, expired);
    ValidationFailed for a weak password (the token stays usable); RateLimited past the
    per-address or per-account limit.
    """
    await limit_address(rt, "password reset", address, RESET_ADDRESS_RATE)
    user_id, username = await _owner_of(token)
    await limit_address(
        rt,
        "password reset",
        f"account:{user_id}",
        RESET_ACCOUNT_RATE,
        message="Too many password resets for this account; try again later.",
    )
    passwords.check_policy(password, username)
    new_hash = await passwords.hash_password(password)
    now = datetime.now(UTC)
    async with DB.transaction():
        if not await queries.spend(hash_token(token), now):  # a concurrent reset spent it
            raise InvalidResetToken(details={"reason": "used"})
        await queries.spend_all(user_id, now)
        await queries.set_password(user_id, new_hash, now)
    await end_all_sessions(rt, user_id)
    await lockout.unlock(rt.redis, lockout.account_key(user_id))
    return user_id

"""Queries on password-reset tokens (stored hashed). Writes run in the caller's
``DB.transaction()`` when there is one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from draftroom.db.tables import Account, PasswordReset


async def insert(user_id: int, token_hash: str, expires_at: datetime, at: datetime) -> None:
    """Store a reset token of the user."""
    await PasswordReset.insert(
        PasswordReset(user=user_id, token_hash=token_hash, expires_at=expires_at, created_at=at)
    )


async def by_hash(token_hash: str) -> dict[str, Any] | None:
    """``user, expires_at, used_at, user.username`` of a token."""
    row: dict[str, Any] | None = (
        await PasswordReset.select(
            PasswordReset.user,
            PasswordReset.expires_at,
            PasswordReset.used_at,
            PasswordReset.user.username,
        )
        .where(PasswordReset.token_hash == token_hash)
        .first()
    )
    return row


async def spend(token_hash: str, at: datetime) -> bool:
    """Mark the token used when it is unused and unexpired at ``at``; False otherwise."""
    spent = (
        await PasswordReset.update({PasswordReset.used_at: at})
        .where(
            (PasswordReset.token_hash == token_hash)
            & PasswordReset.used_at.is_null()
            & (PasswordReset.expires_at > at)
        )
        .returning(PasswordReset.id)
    )
    return bool(spent)


async def spend_all(user_id: int, at: datetime) -> None:
    """Mark every unused token of the user used."""
    await PasswordReset.update({PasswordReset.used_at: at}).where(
        (PasswordReset.user == user_id) & PasswordReset.used_at.is_null()
    )


async def set_password(user_id: int, password_hash: str, at: datetime) -> None:
    """The account's new password hash, changed at ``at``."""
    await Account.update(
        {Account.password_hash: password_hash, Account.password_changed_at: at}
    ).where(Account.id == user_id)

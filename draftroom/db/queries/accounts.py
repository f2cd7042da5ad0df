"""Queries on accounts."""

from __future__ import annotations

from draftroom.db.engine import pool
from draftroom.db.tables import Account


async def is_admin(user_id: int) -> bool:
    """True when the account exists and is an admin now (a token's claim may be stale)."""
    async with pool().acquire() as conn:
        return bool(await conn.fetchval("SELECT is_admin FROM account WHERE id = $1", user_id))


async def user_id_by_username(username: str) -> int | None:
    """The account of a username (case-insensitive)."""
    row = await Account.select(Account.id).where(Account.username_key == username.lower()).first()
    return int(row["id"]) if row is not None else None

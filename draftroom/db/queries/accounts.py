"""Queries on accounts."""

from __future__ import annotations

from draftroom.db.engine import pool


async def is_admin(user_id: int) -> bool:
    """True when the account exists and is an admin now (a token's claim may be stale)."""
    async with pool().acquire() as conn:
        return bool(await conn.fetchval("SELECT is_admin FROM account WHERE id = $1", user_id))

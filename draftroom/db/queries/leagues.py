"""Queries on leagues."""

from __future__ import annotations

from draftroom.db.engine import pool


async def demo_league_id() -> int | None:
    """The demo league to watch: the first public demo league of the latest season."""
    async with pool().acquire() as conn:
        value = await conn.fetchval(
            "SELECT id FROM league WHERE is_demo AND NOT is_private"
            " ORDER BY season DESC, id LIMIT 1"
        )
    return None if value is None else int(value)

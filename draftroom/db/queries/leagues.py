"""Queries on leagues."""

from __future__ import annotations

from draftroom.db.engine import pool
from draftroom.db.tables import League


async def demo_league_id() -> int | None:
    """The demo league to watch: the first public demo league of the latest season."""
    async with pool().acquire() as conn:
        value = await conn.fetchval(
            "SELECT id FROM league WHERE is_demo AND NOT is_private"
            " ORDER BY season DESC, id LIMIT 1"
        )
    return None if value is None else int(value)


async def demo_league_of_season(season: int) -> int | None:
    """The season's (first found) demo league."""
    row = (
        await League.select(League.id)
        .where((League.is_demo.eq(True)) & (League.season == season))
        .first()
    )
    return int(row["id"]) if row is not None else None


async def season_of(league_id: int) -> int | None:
    """The league's season (None when unknown)."""
    season = await pool().fetchval("SELECT season FROM league WHERE id = $1", league_id)
    return None if season is None else int(season)

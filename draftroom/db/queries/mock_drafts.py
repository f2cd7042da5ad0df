"""Queries on mock drafts (practice drafts against bots, each in a hidden league)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from draftroom.db.engine import pool

UNFINISHED = ("scheduled", "live", "paused")

_COUNT_UNFINISHED = """
SELECT count(*) FROM mock_draft m WHERE m."user" = $1 AND NOT EXISTS (
  SELECT 1 FROM draft d WHERE d.league = m.league AND d.status <> ALL($2::text[])
)
"""
_MINE = """
SELECT d.id AS draft_id, m.league AS league_id, d.race AS race_id, r.name AS race_name,
       d.status, d.pick_seconds, d."order", t.id AS team_id, m.created_at, d.completed_at
FROM mock_draft m JOIN draft d ON d.league = m.league JOIN race r ON r.id = d.race
JOIN team t ON t.league = m.league AND t."user" = m."user"
WHERE m."user" = $1 {extra}
ORDER BY m.created_at DESC, m.id DESC
"""
_PRUNE = """
WITH gone AS (
    DELETE FROM league l WHERE l.is_mock AND l.created_at < $1 AND NOT EXISTS (
        SELECT 1 FROM draft d WHERE d.league = l.id
          AND (d.status = ANY($2::text[]) OR coalesce(d.completed_at, d.created_at) >= $1)
          AND d.locks_at >= $1
    ) RETURNING 1
) SELECT count(*) FROM gone
"""


async def count_unfinished(user_id: int) -> int:
    """How many of ``user_id``'s mock drafts have not ended (scheduled, live, paused, or
    still being created)."""
    return int(await pool().fetchval(_COUNT_UNFINISHED, user_id, list(UNFINISHED)))


async def record(league_id: int, user_id: int, seed: int, now: datetime) -> None:
    """Record mock league ``league_id`` of ``user_id``, whose bots pick with ``seed``."""
    await pool().execute(
        'INSERT INTO mock_draft (league, "user", seed, created_at) VALUES ($1, $2, $3, $4)',
        league_id,
        user_id,
        seed,
        now,
    )


async def seat_teams(team_ids: list[int], start: datetime) -> None:
    """Give ``team_ids`` join times in this order (first = slot 1): the draft order of a
    league without results is the join order."""
    await pool().execute(
        "UPDATE team t SET joined_at = $2::timestamptz + x.slot * interval '1 millisecond' "
        "FROM unnest($1::int[]) WITH ORDINALITY AS x(id, slot) WHERE t.id = x.id",
        team_ids,
        start,
    )


async def mine(user_id: int, draft_id: int | None = None) -> list[dict[str, Any]]:
    """``user_id``'s mock drafts, newest first (only ``draft_id`` when given)."""
    if draft_id is None:
        rows = await pool().fetch(_MINE.format(extra=""), user_id)
    else:
        rows = await pool().fetch(_MINE.format(extra="AND d.id = $2"), user_id, draft_id)
    return [dict(row) for row in rows]


async def delete_league(league_id: int) -> None:
    """Delete a mock league and, by cascade, everything it holds."""
    await pool().execute("DELETE FROM league WHERE id = $1 AND is_mock", league_id)


async def prune_finished(cutoff: datetime) -> int:
    """Delete the mock leagues whose draft ended (complete or cancelled) before ``cutoff``,
    or that could not run past it (locked before it), with everything they hold; how many."""
    return int(await pool().fetchval(_PRUNE, cutoff, list(UNFINISHED)))


async def draft_has_bots(draft_id: int) -> bool:
    """True when a bot team takes part in the draft (the demo's, a mock's)."""
    return bool(
        await pool().fetchval(
            "SELECT EXISTS (SELECT 1 FROM draft_team dt JOIN team t ON t.id = dt.team "
            "WHERE dt.draft = $1 AND t.is_bot)",
            draft_id,
        )
    )

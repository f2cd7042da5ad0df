"""Queries of the draft clocks (runner, supervisor) on the connections reserved for them,
and of the demo director."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from draftroom.db.engine import clock_pool, pool
from draftroom.db.queries.drafts import Loaded, load


@dataclass(frozen=True)
class ClockRow:
    """What a draft's clock needs of its row (times in epoch ms)."""

    status: str
    seq: int
    deadline_ms: int | None
    opens_ms: int | None
    locks_ms: int | None


async def clock_row(draft_id: int) -> ClockRow | None:
    """The draft row's clock (one primary-key read on the clocks' pool)."""
    row = await clock_pool().fetchrow(
        "SELECT status, seq, deadline_ms, "
        "floor(extract(epoch FROM opens_at) * 1000)::bigint AS opens_ms, "
        "floor(extract(epoch FROM locks_at) * 1000)::bigint AS locks_ms FROM draft WHERE id = $1",
        draft_id,
    )
    if row is None:
        return None
    return ClockRow(row["status"], row["seq"], row["deadline_ms"], row["opens_ms"], row["locks_ms"])


async def load_for_clock(draft_id: int) -> Loaded:
    """The whole draft without the lock, on the clocks' pool."""
    async with clock_pool().acquire() as conn:
        return await load(conn, draft_id, for_update=False)


_CLOCK_CANDIDATES = """
SELECT id, league, seq FROM draft
WHERE status IN ('live', 'paused')
   OR (status = 'scheduled' AND opens_at IS NOT NULL AND opens_at <= $1 AND locks_at > $2)
ORDER BY id
"""


async def clock_candidates(opens_by: datetime, locks_after: datetime) -> list[tuple[int, int, int]]:
    """``(draft_id, league_id, seq)`` of every draft that needs a clock: live or paused, or
    scheduled to open by ``opens_by`` and locking after ``locks_after``."""
    rows = await pool().fetch(_CLOCK_CANDIDATES, opens_by, locks_after)
    return [(int(r["id"]), int(r["league"]), int(r["seq"])) for r in rows]


# The demo director.

_SCORED = "SELECT 1 FROM team_race_score s WHERE s.league = $2 AND s.race = {race}"
_FREE_RACES = f"""
SELECT r.id, r.round FROM race r WHERE r.season = $1 AND r.status <> 'cancelled'
  AND NOT EXISTS ({_SCORED.format(race="r.id")})
ORDER BY r.round
"""
_DELETE_FINISHED = f"""
DELETE FROM draft d WHERE d.league = $1 AND d.race = $2 AND d.status IN ('complete', 'cancelled')
  AND NOT EXISTS ({_SCORED.format(race="d.race")})
"""


async def demo_leagues() -> list[tuple[int, int]]:
    """``(league_id, season)`` of every demo league."""
    rows = await pool().fetch("SELECT id, season FROM league WHERE is_demo")
    return [(r["id"], r["season"]) for r in rows]


async def has_unfinished_draft(league_id: int) -> bool:
    """True while the league has a scheduled, live or paused draft."""
    return bool(
        await pool().fetchval(
            "SELECT 1 FROM draft WHERE league = $1 AND status IN ('scheduled', 'live', 'paused')",
            league_id,
        )
    )


async def last_draft(league_id: int) -> tuple[int, datetime] | None:
    """The round of the league's newest draft and when it ended (or started, or was made)."""
    row = await pool().fetchrow(
        "SELECT r.round, coalesce(d.completed_at, d.started_at, d.created_at) AS ended "
        "FROM draft d JOIN race r ON r.id = d.race "
        "WHERE d.league = $1 ORDER BY d.created_at DESC, d.id DESC LIMIT 1",
        league_id,
    )
    return None if row is None else (row["round"], row["ended"])


async def unscored_races(season: int, league_id: int) -> list[tuple[int, int]]:
    """``(race_id, round)`` of the season's races the league has no score of, by round."""
    return [(r["id"], r["round"]) for r in await pool().fetch(_FREE_RACES, season, league_id)]


async def delete_finished(league_id: int, race_id: int) -> None:
    """Delete the league's finished, unscored draft of the race (to draft it again)."""
    await pool().execute(_DELETE_FINISHED, league_id, race_id)

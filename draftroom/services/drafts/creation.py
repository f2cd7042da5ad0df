"""Creating a league's draft for a race: order per ``order_policy``, stored with its teams.

``locks_at`` is the race's qualifying start. The order is computed once, at creation, and
stored on the draft (``rotate`` also stores the league's base order the first time;
``random`` records its seed).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import asyncpg

from draftroom.domain.draft import new_draft
from draftroom.domain.league_settings import LeagueSettings
from draftroom.domain.order import draft_order, new_seed
from draftroom.domain.weekend import lock_time
from draftroom.errors import Conflict, DraftLocked, NotFound, ValidationFailed
from draftroom.services.drafts import store
from draftroom.services.drafts.snapshot import announce_state
from draftroom.services.drafts.wakeups import wake
from draftroom.services.entries import race_pool
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

_STANDINGS = """
SELECT team, sum(points) AS points FROM (
  SELECT DISTINCT ON (s.team, s.race) s.team, s.points FROM team_race_score s
  JOIN race r ON r.id = s.race
  WHERE s.league = $1 AND r.status <> 'cancelled' ORDER BY s.team, s.race, s.revision DESC
) latest GROUP BY team
"""


async def create_draft(
    rt: Runtime,
    league_id: int,
    race_id: int,
    *,
    opens_at: datetime | None = None,
    locks_at: datetime | None = None,
    now: datetime | None = None,
) -> int:
    """Create the league's draft of ``race_id`` and return its id.

    Permissions are the caller's job. ``locks_at`` defaults to the race's qualifying
    start (the demo passes its own). Errors: NotFound (race), ValidationFailed (race of
    another season, opens_at not before locks_at, pool too small), DraftLocked
    (qualifying has started), Conflict (the race already has a draft, fewer than 2 teams).
    """
    now = now or datetime.now(UTC)
    try:
        async with store.pool().acquire() as conn, conn.transaction():
            draft_id = await _create(conn, league_id, race_id, opens_at, locks_at, now)
    except asyncpg.UniqueViolationError as error:
        raise Conflict("This race already has a draft in this league.") from error
    await wake(rt, league_id, draft_id)
    await announce_state(rt, league_id, draft_id)
    return draft_id


async def _create(
    conn: asyncpg.Connection,
    league_id: int,
    race_id: int,
    opens_at: datetime | None,
    locks_at: datetime | None,
    now: datetime,
) -> int:
    league = await conn.fetchrow(
        "SELECT id, season, settings, base_order FROM league WHERE id = $1 FOR UPDATE", league_id
    )
    if league is None:
        raise NotFound("No such league.")
    race = await conn.fetchrow(
        "SELECT id, season, qualifying_at, sprint_qualifying_at, status FROM race WHERE id = $1",
        race_id,
    )
    if race is None:
        raise NotFound("No such race.", details={"race_id": race_id})
    if race["season"] != league["season"]:
        raise ValidationFailed(
            "That race is not in the league's season.",
            details=[{"field": "race_id", "message": "not in the league's season"}],
        )
    if race["status"] == "cancelled":
        raise Conflict("That race is cancelled.")
    locks = locks_at or lock_time(race["qualifying_at"], race["sprint_qualifying_at"])
    if locks <= now:
        raise DraftLocked(
            "The weekend's first scored session has started: this race can no longer be drafted."
        )
    if opens_at is not None and opens_at >= locks:
        raise ValidationFailed(
            "opens_at must be before the draft locks (the weekend's first scored session).",
            details=[{"field": "opens_at", "message": "must be before the draft locks"}],
        )
    if await conn.fetchval(
        "SELECT 1 FROM draft WHERE league = $1 AND race = $2", league_id, race_id
    ):
        raise Conflict("This race already has a draft in this league.")
    teams = [
        r["id"]
        for r in await conn.fetch(
            "SELECT id FROM team WHERE league = $1 ORDER BY joined_at, id", league_id
        )
    ]
    if len(teams) < 2:
        raise Conflict("A draft needs at least two teams in the league.")
    settings = LeagueSettings.from_stored(store.jsonb(league["settings"]))
    pool = await race_pool(conn, league["season"], race_id)
    draft_no = 1 + await conn.fetchval("SELECT count(*) FROM draft WHERE league = $1", league_id)
    base = store.jsonb(league["base_order"])
    points: dict[int, float] = {}
    if settings.order_policy == "reverse_standings":
        points = {r["team"]: float(r["points"]) for r in await conn.fetch(_STANDINGS, league_id)}
    choice = draft_order(
        settings.order_policy,
        teams,
        seed=new_seed(),
        draft_no=draft_no,
        base_order=base,
        points=points,
    )
    new_draft(  # validates the settings and the pool size
        order=choice.order,
        pool=pool,
        draft_type=settings.draft_type,
        pick_seconds=settings.pick_seconds,
        picks_per_team=settings.picks_per_team,
    )
    if settings.order_policy == "rotate" and base is None and choice.base_order is not None:
        await conn.execute(
            "UPDATE league SET base_order = $2 WHERE id = $1",
            league_id,
            json.dumps(list(choice.base_order)),
        )
    draft_id: int = await conn.fetchval(
        "INSERT INTO draft (league, race, status, draft_type, pick_seconds, picks_per_team, "
        'order_policy, order_seed, "order", opens_at, locks_at, seq, created_at) '
        "VALUES ($1, $2, 'scheduled', $3, $4, $5, $6, $7, $8, $9, $10, 0, $11) RETURNING id",
        league_id,
        race_id,
        settings.draft_type,
        settings.pick_seconds,
        settings.picks_per_team,
        settings.order_policy,
        choice.seed if settings.order_policy == "random" else None,
        json.dumps(list(choice.order)),
        opens_at,
        locks,
        now,
    )
    await conn.executemany(
        "INSERT INTO draft_team (draft, team, queue, autodraft, consecutive_timeouts) "
        "VALUES ($1, $2, '[]', false, 0)",
        [(draft_id, team) for team in choice.order],
    )
    return draft_id

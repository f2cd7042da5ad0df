"""Creating a league's draft for a race: order per ``order_policy``, stored with its teams.

``locks_at`` is the race's qualifying start. The order is computed once, at creation, and
stored on the draft (``rotate`` also stores the league's base order the first time;
``random`` records its seed).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import asyncpg

from draftroom.db.convert import jsonb
from draftroom.db.engine import transaction
from draftroom.db.queries import draft_planning
from draftroom.domain.draft import new_draft
from draftroom.domain.league_settings import LeagueSettings
from draftroom.domain.order import draft_order, new_seed
from draftroom.domain.weekend import lock_time
from draftroom.errors import Conflict, DraftLocked, NotFound, ValidationFailed
from draftroom.services.drafts.snapshot import announce_state
from draftroom.services.drafts.wakeups import wake
from draftroom.services.entries import race_pool
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)


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
        async with transaction() as conn:
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
    league = await draft_planning.lock_league(conn, league_id)
    if league is None:
        raise NotFound("No such league.")
    race = await draft_planning.race_times(conn, race_id)
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
    if await draft_planning.has_draft(conn, league_id, race_id):
        raise Conflict("This race already has a draft in this league.")
    teams = await draft_planning.team_ids(conn, league_id)
    if len(teams) < 2:
        raise Conflict("A draft needs at least two teams in the league.")
    settings = LeagueSettings.from_stored(jsonb(league["settings"]))
    pool = await race_pool(conn, league["season"], race_id)
    draft_no = 1 + await draft_planning.draft_count(conn, league_id)
    base = jsonb(league["base_order"])
    points: dict[int, float] = {}
    if settings.order_policy == "reverse_standings":
        points = await draft_planning.team_points(conn, league_id)
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
        await draft_planning.save_base_order(conn, league_id, choice.base_order)
    return await draft_planning.insert_draft(
        conn,
        league_id=league_id,
        race_id=race_id,
        draft_type=settings.draft_type,
        pick_seconds=settings.pick_seconds,
        picks_per_team=settings.picks_per_team,
        order_policy=settings.order_policy,
        order_seed=choice.seed if settings.order_policy == "random" else None,
        order=choice.order,
        opens_at=opens_at,
        locks_at=locks,
        created_at=now,
    )

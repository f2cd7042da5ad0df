"""Mock drafts: a user's practice draft against bots, for any race of the current season.

Each mock draft lives in a hidden league of its own (``League.is_mock``, private, with a
``mock_draft`` row holding its owner and seed): the user is its commissioner and owns the
team at ``my_slot``; the other teams are bot teams (``Team.is_bot``) whose picks the
draft's runner makes (:mod:`draftroom.runner.bots`, seeded by the mock's seed). The draft
is an ordinary draft of that league, so it has the same rules, runner, commit path, room and
Socket.IO events as a real one. It opens at once and locks ``MOCK_LOCK`` later (the race's
own sessions do not move it). Mock leagues are left out of public lists, ``/leagues/mine``,
scoring (hence standings and leaderboards), session moves and notifications; housekeeping
deletes each one a day after its draft ended (:func:`prune`).
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from draftroom.contracts.leagues import LeagueDetails
from draftroom.contracts.mock_drafts import MockDraftOut
from draftroom.contracts.reference import RaceOut
from draftroom.coordination.ratelimit import RateLimiter
from draftroom.db.convert import jsonb
from draftroom.db.queries import mock_drafts as queries
from draftroom.domain.order import new_seed
from draftroom.errors import Conflict, MockDraftLimit, NotFound, ValidationFailed
from draftroom.services import reference
from draftroom.services.drafts.creation import create_draft
from draftroom.services.leagues import create_league
from draftroom.services.membership import join_league
from draftroom.services.runtime import Runtime
from draftroom.services.seed import bot_account
from draftroom.timestamps import iso_utc

MIN_TEAMS, MAX_TEAMS = 2, 11
MIN_PICK_SECONDS, MAX_PICK_SECONDS = 5, 300
"""A practice clock: 5 s to 5 min (longer clocks are for real slow drafts)."""
PICKS_PER_TEAM = 2
MAX_UNFINISHED = 3
"""Unfinished (scheduled, live or paused) mock drafts one user may hold at once."""
CREATIONS_PER_HOUR = 20
"""Mock drafts one user may create per hour (cancelling one frees a place under the cap
above, so this bounds the churn)."""
MOCK_LOCK = timedelta(hours=2)
"""A mock draft still running this long after creation is completed by autopick."""
OPEN_DELAY = timedelta(seconds=3)
"""The first pick's clock starts this long after creation: time to open the room."""
RETENTION = timedelta(days=1)
"""A mock draft is deleted this long after it ended."""
MY_TEAM_NAME = "My team"
BOTS = (
    ("mock-bot-1", "Bot Box Box"),
    ("mock-bot-2", "Bot Undercut"),
    ("mock-bot-3", "Bot Overcut"),
    ("mock-bot-4", "Bot Slipstream"),
    ("mock-bot-5", "Bot Parc Fermé"),
    ("mock-bot-6", "Bot Pit Wall"),
    ("mock-bot-7", "Bot Dirty Air"),
    ("mock-bot-8", "Bot Safety Car"),
    ("mock-bot-9", "Bot Blue Flag"),
    ("mock-bot-10", "Bot Chequered"),
)
SETTINGS = {
    "draft_type": "snake",
    "picks_per_team": PICKS_PER_TEAM,
    "order_policy": "reverse_standings",  # no results: the join order, which we set
    "draft_opens_hours_before": 0,
    "spectators": "members",
    "slow_draft_notifications": False,
}


def _bad(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"Invalid {field}: {message}.", details=[{"field": field, "message": message}]
    )


def validate(teams: int, pick_seconds: int, my_slot: int | None) -> None:
    """Refuse teams outside 2..11, a clock outside 5..300 s, a slot outside 1..teams."""
    if not MIN_TEAMS <= teams <= MAX_TEAMS:
        raise _bad("teams", f"must be between {MIN_TEAMS} and {MAX_TEAMS}")
    if not MIN_PICK_SECONDS <= pick_seconds <= MAX_PICK_SECONDS:
        raise _bad("pick_seconds", f"must be between {MIN_PICK_SECONDS} and {MAX_PICK_SECONDS}")
    if my_slot is not None and not 1 <= my_slot <= teams:
        raise _bad("my_slot", f"must be between 1 and {teams} (the number of teams)")


async def _check_race(race_id: int) -> RaceOut:
    """The race, if it can be mock-drafted: of the current season and not cancelled."""
    race = await reference.get_race(race_id)  # NotFound
    season = await reference.current_season()
    if race["season"] != season:
        raise _bad("race_id", f"not a race of the current season ({season})")
    if race["status"] == "cancelled":
        raise _bad("race_id", "the race is cancelled")
    return race


async def _bot_users(count: int) -> list[int]:
    """The first ``count`` mock bot accounts (created when missing)."""
    ids = []
    for username, display in BOTS[:count]:
        try:
            ids.append(await bot_account(username, display))
        except Conflict:  # created concurrently by another mock draft
            ids.append(await bot_account(username, display))
    return ids


async def create_mock_draft(
    rt: Runtime,
    user_id: int,
    *,
    race_id: int,
    teams: int,
    pick_seconds: int,
    my_slot: int | None = None,
    seed: int | None = None,
    now: datetime | None = None,
) -> MockDraftOut:
    """Create a mock draft of ``race_id`` for ``user_id`` and return it (:func:`get`).

    Errors (nothing is created): ValidationFailed (teams, clock, slot, a race of another
    season or cancelled), NotFound (race), MockDraftLimit (already MAX_UNFINISHED
    unfinished mock drafts), RateLimited (over CREATIONS_PER_HOUR). ``seed`` makes the
    bots' picks (and a random slot) reproducible; by default a fresh one is drawn.
    """
    validate(teams, pick_seconds, my_slot)
    race = await _check_race(race_id)
    await _check_limit(user_id)
    limiter = RateLimiter(rt.redis, prefix="draftroom:mockrate:")
    await limiter.check(f"user:{user_id}", CREATIONS_PER_HOUR, 3600)
    seed = new_seed() if seed is None else seed
    slot = my_slot if my_slot is not None else random.Random(seed).randint(1, teams)
    now = now or datetime.now(UTC)
    league = await _practice_league(user_id, race, teams, pick_seconds, now)
    try:
        team_ids = await _seat(league, user_id, teams, slot)
        await queries.seat_teams(team_ids, now)
        await queries.record(league["id"], user_id, seed, now)
        await _check_limit(user_id, creating=True)  # concurrent ones over the limit fail
        draft_id = await create_draft(
            rt, league["id"], race_id, opens_at=now + OPEN_DELAY, locks_at=now + MOCK_LOCK, now=now
        )
    except BaseException:
        await asyncio.shield(queries.delete_league(league["id"]))
        raise
    return await get(user_id, draft_id)


async def _check_limit(user_id: int, *, creating: bool = False) -> None:
    """MockDraftLimit when the user holds MAX_UNFINISHED unfinished mock drafts (counting
    the one being created, when ``creating``)."""
    allowed = MAX_UNFINISHED if creating else MAX_UNFINISHED - 1
    if await queries.count_unfinished(user_id) > allowed:
        raise MockDraftLimit(
            f"You already have {MAX_UNFINISHED} unfinished mock drafts; finish one first.",
            details={"limit": MAX_UNFINISHED},
        )


async def _practice_league(
    user_id: int, race: RaceOut, teams: int, pick_seconds: int, now: datetime
) -> LeagueDetails:
    return await create_league(
        user_id,
        name=f"Mock draft: {race['name']}"[:64],
        is_private=True,
        max_teams=teams,
        team_name=MY_TEAM_NAME,
        season=race["season"],
        settings={**SETTINGS, "pick_seconds": pick_seconds},
        is_mock=True,
        now=now,
    )


async def _seat(league: LeagueDetails, user_id: int, teams: int, slot: int) -> list[int]:
    """Seat the bots; every team id in draft order, the user's at ``slot``."""
    code = league["code"]
    assert code is not None  # the commissioner's own view shows it
    bot_teams = []
    for bot_user, (_, name) in zip(await _bot_users(teams - 1), BOTS, strict=False):
        team = await join_league(bot_user, code, name, is_bot=True)
        bot_teams.append(int(team["id"]))
    mine = next(int(t["id"]) for t in league["teams"] if t["user_id"] == user_id)
    return [*bot_teams[: slot - 1], mine, *bot_teams[slot - 1 :]]


def _out(row: dict[str, Any]) -> MockDraftOut:
    order = [int(t) for t in jsonb(row["order"])]
    team_id = int(row["team_id"])
    return {
        "draft_id": row["draft_id"],
        "league_id": row["league_id"],
        "race_id": row["race_id"],
        "race_name": row["race_name"],
        "status": row["status"],
        "teams": len(order),
        "pick_seconds": row["pick_seconds"],
        "my_slot": order.index(team_id) + 1 if team_id in order else None,
        "team_id": team_id,
        "created_at": iso_utc(row["created_at"]),
        "completed_at": iso_utc(row["completed_at"]),
        "room": f"/leagues/{row['league_id']}/draft",
    }


async def get(user_id: int, draft_id: int) -> MockDraftOut:
    """One of ``user_id``'s mock drafts, by draft id; NotFound otherwise."""
    rows = await queries.mine(user_id, draft_id)
    if not rows:
        raise NotFound("No such mock draft.", details={"draft_id": draft_id})
    return _out(rows[0])


async def list_mine(user_id: int) -> list[MockDraftOut]:
    """``user_id``'s mock drafts, newest first."""
    return [_out(row) for row in await queries.mine(user_id)]


async def prune(now: datetime | None = None) -> int:
    """Delete the mock drafts that ended over RETENTION before ``now`` (their league,
    teams, draft, picks, events and chat); how many."""
    return await queries.prune_finished((now or datetime.now(UTC)) - RETENTION)

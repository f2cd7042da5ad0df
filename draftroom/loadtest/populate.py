"""Setting up the load: users, public leagues of bot teams and their drafts, straight in the
database (accounts and teams in bulk; leagues and drafts through the services, so orders and
settings are the real ones), and access tokens signed with the deployment's key."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import redis.asyncio as aioredis

from draftroom.config import Settings
from draftroom.db.queries import loadtest as queries
from draftroom.loadtest.spec import DraftSpec, LeagueSpec, TeamSpec
from draftroom.services.runtime import Runtime
from draftroom.services.tokens import issue_access_token

SPECTATOR_USERS = 50
CONCURRENCY = 8


@dataclass(frozen=True)
class Plan:
    """How many leagues, teams and drafts to prepare."""

    leagues: int
    autopick_leagues: int
    teams: int
    drafts_per_league: int
    autopick_drafts: int = 3
    pick_seconds: int = 60
    autopick_seconds: int = 5
    picks_per_team: int = 2
    season: int = 2026


class _SilentNotifier:
    """Set-up emits nothing: no socket is connected yet."""

    async def emit(self, event: str, data: Any = None, **kwargs: Any) -> None:
        return None

    async def publish(self, broadcast: Any) -> None:
        return None


async def _create_accounts(tag: str, count: int, password_hash: str) -> list[int]:
    now = datetime.now(UTC)
    ids: list[int] = []
    for start in range(0, count, 1000):
        rows = [
            {
                "username": f"lt{tag}u{i}",
                "username_key": f"lt{tag}u{i}",
                "email": f"lt{tag}u{i}@loadtest.invalid",
                "email_key": f"lt{tag}u{i}@loadtest.invalid",
                "display_name": f"Bot {i}",
                "password_hash": password_hash,
                "is_admin": False,
                "created_at": now,
                "password_changed_at": now,
            }
            for i in range(start, min(count, start + 1000))
        ]
        ids += await queries.insert_accounts(rows)
    return ids


async def _create_league(
    tag: str, index: int, users: list[int], plan: Plan, autopick: bool
) -> tuple[int, list[tuple[int, int]]]:
    """A public league with a team per user; returns (league id, [(team id, user id)])."""
    # keeps `draftroom loadtest` light until it populates: the services load only here
    from draftroom.services.leagues import create_league
    from draftroom.services.membership import team_name_key

    settings = {
        "pick_seconds": plan.autopick_seconds if autopick else plan.pick_seconds,
        "picks_per_team": plan.picks_per_team,
        "draft_type": "snake",
        "order_policy": "rotate",
        "draft_opens_hours_before": 0,
        "spectators": "public",
    }
    league = await create_league(
        users[0],
        name=f"Loadtest {tag} {index}",
        is_private=False,
        max_teams=len(users),
        team_name="Bots 0",
        season=plan.season,
        settings=settings,
    )
    league_id = int(league["id"])
    now = datetime.now(UTC)
    others = [
        {
            "league": league_id,
            "user": user,
            "name": f"Bots {j}",
            "name_key": team_name_key(f"Bots {j}"),
            "is_bot": False,
            "joined_at": now + timedelta(microseconds=j),
        }
        for j, user in enumerate(users[1:], start=1)
    ]
    await queries.insert_teams(others)
    return league_id, await queries.league_teams(league_id)


async def populate(settings: Settings, redis_url: str, plan: Plan) -> list[LeagueSpec]:
    """Create the leagues of ``plan`` with their drafts; return what the bots need."""
    # keeps `draftroom loadtest` light until it populates: the services load only here
    from draftroom.services.drafts.creation import create_draft
    from draftroom.services.passwords import hash_password

    tag = secrets.token_hex(3)
    pool = await queries.pool_drivers(plan.season)
    races = await queries.races(plan.season)
    if plan.teams * plan.picks_per_team > len(pool):
        raise ValueError(f"{plan.teams} teams x {plan.picks_per_team} picks > {len(pool)} drivers")
    total = plan.leagues + plan.autopick_leagues
    users = await _create_accounts(
        tag, total * plan.teams + SPECTATOR_USERS, await hash_password(secrets.token_hex(16))
    )
    spectators = tuple(issue_access_token(settings, u) for u in users[-SPECTATOR_USERS:])
    gate = asyncio.Semaphore(CONCURRENCY)

    async def league(index: int) -> tuple[int, list[tuple[int, int]], bool]:
        autopick = index >= plan.leagues
        members = users[index * plan.teams : (index + 1) * plan.teams]
        async with gate:
            league_id, teams = await _create_league(tag, index, members, plan, autopick)
        return league_id, teams, autopick

    leagues = list(await asyncio.gather(*(league(i) for i in range(total))))
    redis = aioredis.Redis.from_url(redis_url)
    rt = Runtime(settings=settings, redis=redis, notifier=_SilentNotifier())
    locks_at = datetime.now(UTC) + timedelta(hours=3)

    async def one(league_id: int, race_id: int) -> None:
        async with gate:
            await create_draft(rt, league_id, race_id, locks_at=locks_at)

    try:
        jobs = []
        for league_id, _, autopick in leagues:
            count = plan.autopick_drafts if autopick else plan.drafts_per_league
            jobs += [one(league_id, race) for race in races[: min(count, len(races))]]
        await asyncio.gather(*jobs)
    finally:
        await redis.aclose()
    return await _specs(settings, leagues, pool, spectators)


async def _specs(
    settings: Settings,
    leagues: list[tuple[int, list[tuple[int, int]], bool]],
    pool: list[int],
    spectators: tuple[str, ...],
) -> list[LeagueSpec]:
    drafts: dict[int, list[DraftSpec]] = {}
    for draft_id, league_id, order, picks_per_team in await queries.drafts_of(
        [league_id for league_id, _, _ in leagues]
    ):
        drafts.setdefault(league_id, []).append(DraftSpec(draft_id, order, picks_per_team))
    specs = []
    for league_id, teams, autopick in leagues:
        team_specs = tuple(
            TeamSpec(team, user, issue_access_token(settings, user), idle=autopick and j % 2 == 1)
            for j, (team, user) in enumerate(teams)
        )
        specs.append(
            LeagueSpec(
                league_id,
                team_specs,
                tuple(drafts.get(league_id, [])),
                tuple(pool),
                spectators,
                autopick=autopick,
            )
        )
    return specs

"""Leagues: create, list, show, change, delete, and their invite codes.

Permissions come from :mod:`draftroom.services.membership`: details are shown to anyone who
may see the league (``code`` to members only); changes and deletion are for the
commissioner (or an admin). Settings are validated by :mod:`draftroom.domain.league_settings`;
the pool-size rule and "no change of draft-bound settings during a live or paused draft" are
checked here, against the database.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

import asyncpg

from draftroom.contracts.leagues import InviteCode, LeagueDetails, LeagueSummary, MyLeague
from draftroom.db.engine import DB
from draftroom.db.queries import leagues as queries
from draftroom.domain.league_settings import (
    LeagueSettings,
    check_pool_size,
    draft_bound_changes,
    parse_settings,
    validate_max_teams,
)
from draftroom.errors import Conflict, NotFound, ValidationFailed
from draftroom.services import reference
from draftroom.services.membership import (
    LeagueAccess,
    add_team,
    decode_settings,
    draft_in_progress,
    league_access,
    team_out,
)
from draftroom.timestamps import iso_utc

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Invite-code characters: no 0/O, 1/I/L."""
CODE_LENGTH = 8
LEAGUE_NAME_MAX = 64
MAX_PER_PAGE = 200


def new_code() -> str:
    """A random invite code (8 characters of :data:`CODE_ALPHABET`)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def unused_code() -> str:
    """A code no league has (retried on collision)."""
    while True:
        code = new_code()
        if not await queries.code_taken(code):
            return code


def _clean_name(name: str) -> str:
    clean = " ".join(str(name).split())
    if not clean or len(clean) > LEAGUE_NAME_MAX:
        raise ValidationFailed(
            "name must be 1 to 64 characters.",
            details=[{"field": "name", "message": "must be 1 to 64 characters"}],
        )
    return clean


def summary_out(row: dict[str, Any]) -> LeagueSummary:
    """A league in lists."""
    return {
        "id": row["id"],
        "name": row["name"],
        "season": row["season"],
        "is_private": row["is_private"],
        "max_teams": row["max_teams"],
        "team_count": int(row["team_count"]),
        "commissioner_id": row["commissioner_id"],
        "is_demo": row["is_demo"],
        "created_at": iso_utc(row["created_at"]),
    }


async def _check_pool(season: int, max_teams: int, picks_per_team: int) -> None:
    check_pool_size(max_teams, picks_per_team, await reference.active_driver_count(season))


async def create_league(
    user_id: int,
    *,
    name: str,
    is_private: bool,
    max_teams: int,
    team_name: str,
    season: int | None = None,
    settings: Mapping[str, Any] | None = None,
    is_demo: bool = False,
    is_bot: bool = False,
    is_mock: bool = False,
    now: datetime | None = None,
) -> LeagueDetails:
    """A new league whose commissioner is ``user_id``, with the commissioner's team
    (``is_mock``: a mock draft's hidden practice league)."""
    clean_name = _clean_name(name)
    teams = validate_max_teams(max_teams)
    parsed = parse_settings(settings)
    year = await reference.season_or_current(season)
    if year is None or not await reference.season_exists(year):
        raise ValidationFailed(
            "Unknown season.", details=[{"field": "season", "message": "no such season"}]
        )
    await _check_pool(year, teams, parsed.picks_per_team)
    now = now or datetime.now(UTC)
    for _ in range(5):
        code = await unused_code()
        try:
            async with DB.transaction():
                league_id = await queries.insert_league(
                    name=clean_name,
                    season=year,
                    commissioner=user_id,
                    is_private=is_private,
                    code=code,
                    max_teams=teams,
                    settings=parsed.to_dict(),
                    is_demo=is_demo,
                    is_mock=is_mock,
                    created_at=now,
                )
                league = {"id": league_id, "max_teams": teams}
                await add_team(league, user_id, team_name, is_bot=is_bot, now=now)
        except asyncpg.UniqueViolationError as error:
            if "code" in (error.constraint_name or ""):
                continue
            raise
        return await league_details(await league_access(league_id, user_id))
    raise Conflict("Could not allocate an invite code; try again.")


async def list_public_leagues(
    q: str | None = None, *, page: int = 1, per_page: int = 50, season: int | None = None
) -> tuple[list[LeagueSummary], int]:
    """Public leagues whose name contains ``q`` (case-insensitive), demo leagues first (the
    newest demo league first), then newest first; and the total count."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    pattern = "%"
    if q:
        escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
    rows, total = await queries.public_leagues(pattern, season, per_page, (page - 1) * per_page)
    return [summary_out(row) for row in rows], total


async def my_leagues(user_id: int) -> list[MyLeague]:
    """The leagues ``user_id`` has a team in, newest first, with the team and role (mock
    drafts' practice leagues are listed at ``/mock-drafts`` instead)."""
    out: list[MyLeague] = []
    for row in await queries.leagues_of(user_id):
        role: Literal["commissioner", "member"] = (
            "commissioner" if row["commissioner_id"] == user_id else "member"
        )
        out.append(
            {
                **summary_out(row),
                "team_id": row["team_id"],
                "team_name": row["team_name"],
                "role": role,
            }
        )
    return out


async def league_details(access: LeagueAccess) -> LeagueDetails:
    """Everything about a league the user may see (``code`` only for members and admins,
    and for everyone in the demo league, whose open seat is meant for visitors)."""
    league = access.league
    teams = await queries.teams(league["id"])
    return {
        "id": league["id"],
        "name": league["name"],
        "season": league["season"],
        "commissioner_id": league["commissioner"],
        "is_private": league["is_private"],
        "max_teams": league["max_teams"],
        "team_count": len(teams),
        "is_demo": league["is_demo"],
        "created_at": iso_utc(league["created_at"]),
        "settings": access.settings.to_dict(),
        "teams": [team_out(t) for t in teams],
        "code": league["code"]
        if access.is_member or access.is_admin or league["is_demo"]
        else None,
        "role": access.role,
        "my_team_id": access.team_id,
    }


async def get_league(
    league_id: int, user_id: int | None, *, is_admin: bool = False
) -> LeagueDetails:
    """League details for ``user_id`` (None: anyone; NotFound for a private league they
    are not in)."""
    return await league_details(await league_access(league_id, user_id, is_admin=is_admin))


async def demo_league() -> LeagueDetails:
    """The demo league to watch (the first public demo league of the latest season), as
    anyone sees it; NotFound when the server runs no demo."""
    league_id = await queries.demo_league_id()
    if league_id is None:
        raise NotFound("This server runs no demo league.")
    return await get_league(league_id, None)


async def update_league(
    league_id: int, user_id: int, changes: Mapping[str, Any], *, is_admin: bool = False
) -> LeagueDetails:
    """Change name, is_private, max_teams and/or settings (a merge patch); commissioner only.

    Conflict when max_teams drops below the team count, or a draft-bound setting changes
    while a draft is live or paused.
    """
    access = await league_access(league_id, user_id, is_admin=is_admin)
    access.require_manager()
    values: dict[Any, Any] = {}
    if "name" in changes:
        values["name"] = _clean_name(changes["name"])
    if "is_private" in changes:
        values["is_private"] = bool(changes["is_private"])
    old = access.settings
    new = parse_settings(changes.get("settings"), base=old) if "settings" in changes else old
    max_teams = validate_max_teams(changes.get("max_teams", access.league["max_teams"]))
    async with DB.transaction():
        await queries.lock_league(league_id)
        if "max_teams" in changes:
            teams = await queries.team_count(league_id)
            if max_teams < teams:
                raise Conflict(f"The league already has {teams} teams.")
            values["max_teams"] = max_teams
        if "max_teams" in changes or new.picks_per_team != old.picks_per_team:
            await _check_pool(access.league["season"], max_teams, new.picks_per_team)
        if new != old:
            changed = draft_bound_changes(old, new)
            if changed and await draft_in_progress(league_id):
                raise Conflict(
                    "These settings cannot change while a draft is in progress.",
                    details={"settings": changed},
                )
            values["settings"] = new.to_dict()
        if values:
            await queries.update_league(league_id, values)
    return await get_league(league_id, user_id, is_admin=is_admin)


async def delete_league(league_id: int, user_id: int, *, is_admin: bool = False) -> None:
    """Delete a league and everything in it; commissioner only, not during a draft."""
    access = await league_access(league_id, user_id, is_admin=is_admin)
    access.require_manager()
    async with DB.transaction():
        await queries.lock_league(league_id)
        if await draft_in_progress(league_id):
            raise Conflict("A league cannot be deleted while a draft is in progress.")
        await queries.delete_league(league_id)


async def regenerate_code(league_id: int, user_id: int, *, is_admin: bool = False) -> InviteCode:
    """A new invite code for the league (the old one stops working); commissioner only."""
    access = await league_access(league_id, user_id, is_admin=is_admin)
    access.require_manager()
    for _ in range(5):
        code = await unused_code()
        try:
            await queries.update_league(league_id, {"code": code})
        except asyncpg.UniqueViolationError:
            continue
        return {"id": league_id, "code": code}
    raise Conflict("Could not allocate an invite code; try again.")


def stored_settings(raw: Any) -> LeagueSettings:
    """A league row's settings column (JSON text or dict) as LeagueSettings."""
    return LeagueSettings.from_stored(decode_settings(raw))

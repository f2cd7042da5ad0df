"""Who may see and do what in a league, and joining or leaving one.

:func:`league_access` is the one place that decides a user's role in a league; REST and
Socket.IO both use it. A private league is invisible to non-members (NotFound, never
Forbidden), so its existence does not leak.

Roles: ``commissioner`` and ``member`` own a team; ``spectator`` is a logged-in non-member
of a public league whose ``settings.spectators`` is ``public`` (may watch its drafts);
``none`` is anyone else who can see the league (a public league's details, or an admin).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import asyncpg

from draftroom.contracts.leagues import TeamOut
from draftroom.db.engine import DB
from draftroom.db.queries import leagues as queries
from draftroom.domain.league_settings import LeagueSettings
from draftroom.errors import Conflict, Forbidden, NotFound, ValidationFailed
from draftroom.timestamps import iso_utc

Role = Literal["commissioner", "member", "spectator", "none"]
DRAFT_IN_PROGRESS = queries.DRAFT_IN_PROGRESS
TEAM_NAME_MAX = 40


@dataclass(frozen=True)
class LeagueAccess:
    """A user's standing in one league."""

    league: dict[str, Any]
    """The league row (``settings`` decoded; ``commissioner`` is the user id)."""
    user_id: int | None
    role: Role
    team_id: int | None
    is_admin: bool = False

    @property
    def league_id(self) -> int:
        """The league's id."""
        return int(self.league["id"])

    @property
    def is_member(self) -> bool:
        """True for the commissioner and members (they own a team)."""
        return self.role in ("commissioner", "member")

    @property
    def is_commissioner(self) -> bool:
        """True for the league's commissioner."""
        return self.role == "commissioner"

    @property
    def can_manage(self) -> bool:
        """Commissioner-only actions: the commissioner, or an admin."""
        return self.is_commissioner or self.is_admin

    @property
    def can_watch(self) -> bool:
        """May watch the league's drafts (members, spectators, admins)."""
        return self.is_member or self.role == "spectator" or self.is_admin

    @property
    def can_read_chat(self) -> bool:
        """May read the draft room's chat: members and admins; spectators when the league's
        ``spectator_chat`` setting allows it."""
        return (
            self.is_member
            or self.is_admin
            or (self.role == "spectator" and self.settings.spectator_chat)
        )

    @property
    def settings(self) -> LeagueSettings:
        """The league's settings."""
        return LeagueSettings.from_stored(self.league.get("settings"))

    def require_member(self) -> None:
        """Forbidden unless the user owns a team in the league (or is an admin)."""
        if not (self.is_member or self.is_admin):
            raise Forbidden("Only members of this league may do that.")

    def require_manager(self) -> None:
        """Forbidden unless the user is the commissioner (or an admin)."""
        if not self.can_manage:
            raise Forbidden("Only the commissioner may do that.")


def decode_settings(raw: Any) -> dict[str, Any]:
    """A JSONB value as Piccolo returns it (a JSON string) decoded to a dict."""
    if isinstance(raw, str):
        raw = json.loads(raw) if raw else {}
    return dict(raw or {})


async def load_league(league_id: int) -> dict[str, Any] | None:
    """The league row with decoded settings, or None."""
    row = await queries.league_row(league_id)
    if row is None:
        return None
    row["settings"] = decode_settings(row["settings"])
    return row


@dataclass(frozen=True)
class Roster:
    """A league and its members' teams: enough to answer anyone's access."""

    league: dict[str, Any]
    teams: dict[int, int]
    """user id -> team id."""

    def access(self, user_id: int | None, *, is_admin: bool = False) -> LeagueAccess:
        """The user's role in the league; NotFound when it is private and the user is not
        in it (admins see every league)."""
        team_id = self.teams.get(user_id) if user_id is not None else None
        role: Role
        if user_id is not None and self.league["commissioner"] == user_id:
            role = "commissioner"
        elif team_id is not None:
            role = "member"
        elif self.league["is_private"] and not is_admin:
            raise NotFound(f"League {self.league['id']} not found.")
        elif (
            user_id is not None
            and not self.league["is_private"]
            and (LeagueSettings.from_stored(self.league["settings"]).spectators == "public")
        ):
            role = "spectator"
        else:
            role = "none"
        return LeagueAccess(self.league, user_id, role, team_id, is_admin)


async def league_roster(league_id: int) -> Roster:
    """The league and its members; NotFound when it does not exist."""
    league = await queries.roster(league_id)
    if league is None:
        raise NotFound(f"League {league_id} not found.")
    teams = league.pop("roster")
    teams = json.loads(teams) if isinstance(teams, str) else (teams or {})
    league["settings"] = decode_settings(league["settings"])
    return Roster(league, {int(user): int(team) for user, team in teams.items()})


async def league_access(
    league_id: int, user_id: int | None, *, is_admin: bool = False
) -> LeagueAccess:
    """The user's role in the league; NotFound when it does not exist or is private and
    the user is not in it (admins see every league)."""
    return (await league_roster(league_id)).access(user_id, is_admin=is_admin)


class RosterCache:
    """Rosters of the leagues whose rooms this process serves, kept ``ttl_s``: a socket
    connect checks access without reading the roster again. A user the cached roster does
    not list (a spectator, or someone who just joined) costs one index lookup
    (:func:`~draftroom.db.queries.leagues.visitor_view`): the roster is read again only when
    the user has a team now or the league's privacy or settings changed, so a new member
    and a changed spectator setting take effect at once. One who left keeps access to the
    room for at most ``ttl_s``."""

    def __init__(self, ttl_s: float = 10.0) -> None:
        self.ttl_s = ttl_s
        self._rosters: dict[int, tuple[float, Roster]] = {}

    async def access(self, league_id: int, user_id: int, *, is_admin: bool) -> LeagueAccess:
        """Like :func:`league_access`, from memory when it can."""
        hit = self._rosters.get(league_id)
        now = time.monotonic()
        if hit is not None and now < hit[0]:
            roster = hit[1]
            if user_id in roster.teams or await self._still_a_visitor(roster, user_id):
                return roster.access(user_id, is_admin=is_admin)
        roster = await league_roster(league_id)
        if len(self._rosters) > 20_000:
            self._rosters.clear()
        self._rosters[league_id] = (now + self.ttl_s, roster)
        return roster.access(user_id, is_admin=is_admin)

    @staticmethod
    async def _still_a_visitor(roster: Roster, user_id: int) -> bool:
        """True when the user still has no team in the league and its privacy and settings
        are those of the cached roster."""
        view = await queries.visitor_view(int(roster.league["id"]), user_id)
        return (
            view is not None
            and view["team_id"] is None
            and view["is_private"] == roster.league["is_private"]
            and decode_settings(view["settings"]) == roster.league["settings"]
        )


async def draft_in_progress(league_id: int) -> bool:
    """True while a draft of the league is live or paused."""
    return await queries.draft_in_progress(league_id)


def team_name_key(name: str) -> str:
    """The case-insensitive uniqueness key of a team name."""
    return " ".join(name.split()).casefold()[:TEAM_NAME_MAX]


def clean_team_name(name: str) -> str:
    """The team name with whitespace collapsed; ValidationFailed when empty or too long."""
    clean = " ".join(str(name).split())
    if not clean or len(clean) > TEAM_NAME_MAX:
        raise ValidationFailed(
            "team_name must be 1 to 40 characters.",
            details=[{"field": "team_name", "message": "must be 1 to 40 characters"}],
        )
    return clean


def team_out(row: dict[str, Any]) -> TeamOut:
    """A team as the API shows it."""
    joined = row["joined_at"]
    return {
        "id": row["id"],
        "league_id": row["league"],
        "name": row["name"],
        "user_id": row["user"],
        "is_bot": row["is_bot"],
        "joined_at": iso_utc(joined),
    }


async def add_team(
    league: dict[str, Any], user_id: int, team_name: str, *, is_bot: bool, now: datetime
) -> TeamOut:
    """Insert a team in a locked league row's transaction (checks seats, user, name)."""
    name = clean_team_name(team_name)
    key = team_name_key(name)
    league_id = league["id"]
    if await queries.has_team(league_id, user_id):
        raise Conflict("You already have a team in this league.")
    if await queries.team_count(league_id) >= league["max_teams"]:
        raise Conflict("The league is full.")
    if await queries.team_name_taken(league_id, key):
        raise Conflict(f"The team name {name!r} is taken in this league.")
    row = await queries.insert_team(
        league=league_id, user=user_id, name=name, name_key=key, is_bot=is_bot, joined_at=now
    )
    return team_out(row)


async def join_league(
    user_id: int, code: str, team_name: str, *, is_bot: bool = False, now: datetime | None = None
) -> TeamOut:
    """Join the league whose invite code is ``code`` with a new team.

    NotFound for an unknown code; Conflict when the league is full, the user already has
    a team in it, or the team name is taken (case-insensitively). A demo league is never
    full: see :mod:`draftroom.services.demo_seats`.
    """
    # breaks a real cycle: demo_seats imports membership (add_team, team names)
    from draftroom.services import demo_seats

    clean_code = "".join(str(code).split()).upper()
    now = now or datetime.now(UTC)
    try:
        async with DB.transaction():
            league = await queries.lock_league_by_code(clean_code)
            if league is None:
                raise NotFound("No league has that invite code.")
            if not await queries.account_exists(user_id):
                raise NotFound("Unknown user.")
            if league["is_demo"] and not is_bot:
                return await demo_seats.seat(league, user_id, team_name, now)
            return await add_team(league, user_id, team_name, is_bot=is_bot, now=now)
    except asyncpg.UniqueViolationError as error:  # lost a race the checks did not see
        raise Conflict("You already have a team in this league, or the name is taken.") from error
    raise AssertionError("unreachable")  # pragma: no cover


async def leave_league(league_id: int, user_id: int, *, is_admin: bool = False) -> None:
    """Leave a league (the team is deleted).

    Nobody leaves while a draft is live or paused; the commissioner may leave only when
    alone, which deletes the league.
    """
    access = await league_access(league_id, user_id, is_admin=is_admin)
    if not access.is_member:
        raise Forbidden("You are not a member of this league.")
    async with DB.transaction():
        await queries.lock_league(league_id)
        if await draft_in_progress(league_id):
            raise Conflict("Nobody can leave while a draft is in progress.")
        if access.is_commissioner:
            if await queries.team_count(league_id) > 1:
                raise Conflict("The commissioner cannot leave a league that has other members.")
            await queries.delete_league(league_id)
            return
        await queries.delete_team(league_id, user_id)

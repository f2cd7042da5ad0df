"""Leagues, teams and their settings (``/leagues*``, ``/demo``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field
from typing_extensions import TypedDict

from draftroom.contracts.common import IsoTime


class TeamOut(TypedDict):
    id: int
    league_id: int
    name: str
    user_id: int
    is_bot: bool
    joined_at: IsoTime


class LeagueSummary(TypedDict):
    id: int
    name: str
    season: int
    is_private: bool
    max_teams: int
    team_count: int
    commissioner_id: int
    is_demo: bool
    created_at: IsoTime


class MyLeague(LeagueSummary):
    team_id: int
    team_name: str
    role: Literal["commissioner", "member"]


class LeagueDetails(LeagueSummary):
    settings: dict[str, Any]
    teams: list[TeamOut]
    code: Annotated[str | None, Field(description="the invite code; null unless you are a member")]
    role: Literal["commissioner", "member", "spectator", "none"]
    my_team_id: int | None


class EmailPrefsOut(TypedDict):
    league_id: int
    team_id: int
    draft_opens: bool


class InviteCode(TypedDict):
    id: int
    code: str

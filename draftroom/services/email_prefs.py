"""A member's e-mail preferences in a league: "draft opens" mails, off by default.

The opt-in is stored per team (``team.email_draft_opens``): a user chooses per league.
"""

from __future__ import annotations

from typing import Any

from draftroom.contracts.leagues import EmailPrefsOut
from draftroom.db.queries import leagues as queries
from draftroom.errors import NotFound, ValidationFailed


async def _my_team(league_id: int, user_id: int) -> dict[str, Any]:
    row = await queries.team_email_prefs(league_id, user_id)
    if row is None:  # 404 for any league you have no team in: nothing leaks
        raise NotFound("You have no team in this league.", details={"league_id": league_id})
    return row


def _out(league_id: int, team: dict[str, Any]) -> EmailPrefsOut:
    return {
        "league_id": league_id,
        "team_id": team["id"],
        "draft_opens": bool(team["email_draft_opens"]),
    }


async def email_prefs(league_id: int, user_id: int) -> EmailPrefsOut:
    """``{league_id, team_id, draft_opens}`` of the user's team in the league."""
    return _out(league_id, await _my_team(league_id, user_id))


async def set_email_prefs(league_id: int, user_id: int, draft_opens: bool) -> EmailPrefsOut:
    """Opt in to (or out of) "draft opens" mails for the league; the new preferences."""
    if not isinstance(draft_opens, bool):
        raise ValidationFailed(
            "draft_opens must be true or false.",
            details=[{"field": "draft_opens", "message": "must be a boolean"}],
        )
    team = await _my_team(league_id, user_id)
    await queries.set_team_email_prefs(team["id"], draft_opens)
    return _out(league_id, {**team, "email_draft_opens": draft_opens})

"""Who may do what with a draft, on top of :func:`membership.league_access`.

A user who may not see a private league gets ``not_found`` (its existence is not
revealed); a user who may see it but lacks the role gets ``forbidden``.
"""

from __future__ import annotations

from draftroom.errors import DraftroomError, Forbidden
from draftroom.services.membership import LeagueAccess, league_access


class Denied(Exception):
    """Raised inside a draft transaction when the user lacks a role; the command turns it
    into Forbidden or NotFound after looking at the user's membership."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


async def refusal(league_id: int, user_id: int, message: str) -> DraftroomError:
    """Forbidden with ``message`` when the user may see the league, else NotFound."""
    try:
        await league_access(league_id, user_id)
    except DraftroomError as error:
        return error
    return Forbidden(message)


async def require_watch(
    league_id: int, user_id: int | None, *, is_admin: bool = False
) -> LeagueAccess:
    """The user may watch the league's drafts (member, public spectator, admin)."""
    access = await league_access(league_id, user_id, is_admin=is_admin)
    if not access.can_watch:
        raise Forbidden("Only members of this league can see its drafts.")
    return access


async def require_member(
    league_id: int, user_id: int | None, *, is_admin: bool = False
) -> LeagueAccess:
    """The user owns a team in the league (or is an admin)."""
    access = await league_access(league_id, user_id, is_admin=is_admin)
    access.require_member()
    return access


async def require_commissioner(league_id: int, user_id: int) -> LeagueAccess:
    """The user is the league's commissioner, else Forbidden / NotFound."""
    access = await league_access(league_id, user_id)
    if not access.is_commissioner:
        raise Forbidden("Only the commissioner can do that.")
    return access

""" "Draft opens" e-mails: when a draft opens, its owners who opted in for the league
(:mod:`draftroom.services.email_prefs`) get a mail through the outbox.

The mail follows the ``draft_opened`` notification, which is stored once per draft and
owner (its dedupe key): it is queued in the same transaction, only for notifications that
were stored now, so an opening that runs twice mails nobody twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from draftroom.db.queries import leagues as queries
from draftroom.services import outbox

KIND = "draft_opened"


def _body(username: str, league: str, race: str, link: str) -> str:
    return (
        f"Hello {username},\n\n"
        f"The draft of {race} in your league {league} is open. Make your picks here:\n\n"
        f"{link}\n\n"
        "You get this mail because you asked for it in the league's page; switch it off "
        "there.\n"
    )


async def mail_draft_opened(
    conn: asyncpg.Connection, site_url: str, stored: Sequence[dict[str, Any]]
) -> int:
    """Queue a mail for each ``draft_opened`` notification in ``stored`` (just inserted on
    ``conn``) whose owner opted in; how many."""
    opened = [n for n in stored if n["kind"] == KIND]
    if not opened:
        return 0
    data = opened[0]["data"]
    league_id, race_id = int(data["league_id"]), int(data["race_id"])
    users = [int(n["user_id"]) for n in opened]
    link = f"{site_url}/#/leagues/{league_id}/draft"
    mails = [
        (
            row["email"],
            f"Your draft in {row['league']} is open",
            _body(row["username"], row["league"], row["race"], link),
        )
        for row in await queries.draft_opens_subscribers(conn, league_id, users, race_id)
    ]
    return await outbox.enqueue_on(conn, mails, kind=KIND)

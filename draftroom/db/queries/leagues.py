"""Queries on leagues."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from draftroom.db.engine import pool
from draftroom.db.tables import Account, Draft, League, Team


async def demo_league_id() -> int | None:
    """The demo league to watch: the first public demo league of the latest season."""
    async with pool().acquire() as conn:
        value = await conn.fetchval(
            "SELECT id FROM league WHERE is_demo AND NOT is_private"
            " ORDER BY season DESC, id LIMIT 1"
        )
    return None if value is None else int(value)


async def demo_league_of_season(season: int) -> int | None:
    """The season's (first found) demo league."""
    row = (
        await League.select(League.id)
        .where((League.is_demo.eq(True)) & (League.season == season))
        .first()
    )
    return int(row["id"]) if row is not None else None


async def season_of(league_id: int) -> int | None:
    """The league's season (None when unknown)."""
    season = await pool().fetchval("SELECT season FROM league WHERE id = $1", league_id)
    return None if season is None else int(season)


# Leagues (Piccolo: writes run in the caller's ``DB.transaction()`` when there is one).

_SUMMARY = """
SELECT l.id, l.name, l.season, l.is_private, l.max_teams, l.commissioner AS commissioner_id,
       l.is_demo, l.created_at,
       (SELECT count(*) FROM team c WHERE c.league = l.id) AS team_count
"""
_ROSTER_SQL = """
SELECT l.*, (SELECT coalesce(json_object_agg(t."user", t.id), json_build_object())
             FROM team t WHERE t.league = l.id) AS roster
FROM league l WHERE l.id = {}
"""
"""The league row and every member's team, in one round trip."""

DRAFT_IN_PROGRESS = ("live", "paused")

Row = dict[str, Any]


async def code_taken(code: str) -> bool:
    """True when a league has the invite code."""
    return bool(await League.exists().where(League.code == code))


async def insert_league(**values: Any) -> int:
    """A new league; its id (UniqueViolationError on a taken code)."""
    rows = await League.insert(League(**values)).returning(League.id)
    return int(rows[0]["id"])


async def public_leagues(
    pattern: str, season: int | None, limit: int, offset: int
) -> tuple[list[Row], int]:
    """Summaries of public leagues (mock drafts' practice leagues left out) whose name
    matches ``pattern`` (ILIKE), demo leagues first, then newest first; and the total count."""
    where = "NOT l.is_private AND NOT l.is_mock AND l.name ILIKE {}"
    args: list[Any] = [pattern]
    if season is not None:
        where += " AND l.season = {}"
        args.append(season)
    total_rows = await League.raw(f"SELECT count(*) AS n FROM league l WHERE {where}", *args)
    rows: list[Row] = await League.raw(
        f"{_SUMMARY} FROM league l WHERE {where} ORDER BY l.is_demo DESC, l.id DESC"
        " LIMIT {} OFFSET {}",
        *args,
        limit,
        offset,
    )
    return rows, int(total_rows[0]["n"])


async def leagues_of(user_id: int) -> list[Row]:
    """Summaries of the leagues the user has a team in (with ``team_id, team_name``),
    newest first; mock drafts' practice leagues are left out."""
    rows: list[Row] = await League.raw(
        f"{_SUMMARY}, t.id AS team_id, t.name AS team_name FROM team t "
        'JOIN league l ON l.id = t.league WHERE t."user" = {} AND NOT l.is_mock '
        "ORDER BY l.id DESC",
        user_id,
    )
    return rows


async def teams(league_id: int) -> list[Row]:
    """The league's team rows in joining order."""
    rows: list[Row] = await Team.select().where(Team.league == league_id).order_by(Team.joined_at)
    return rows


async def lock_league(league_id: int) -> None:
    """Lock the league row (inside the caller's transaction)."""
    await League.select(League.id).where(League.id == league_id).lock_rows()


async def lock_league_by_code(code: str) -> Row | None:
    """``id, max_teams, is_demo, commissioner, season`` of the league with the invite code,
    locked (inside the caller's transaction)."""
    row: Row | None = (
        await League.select(
            League.id, League.max_teams, League.is_demo, League.commissioner, League.season
        )
        .where(League.code == code)
        .lock_rows()
        .first()
    )
    return row


async def team_count(league_id: int) -> int:
    """How many teams the league has."""
    return int(await Team.count().where(Team.league == league_id))


async def update_league(league_id: int, values: dict[Any, Any]) -> None:
    """Change columns of the league (UniqueViolationError on a taken code)."""
    await League.update(values).where(League.id == league_id)


async def delete_league(league_id: int) -> None:
    """Delete the league and everything in it."""
    await League.delete().where(League.id == league_id)


async def league_row(league_id: int) -> Row | None:
    """The league row (settings as stored)."""
    row: Row | None = await League.select().where(League.id == league_id).first()
    return row


async def roster(league_id: int) -> Row | None:
    """The league row plus ``roster`` (user id -> team id, as stored JSON)."""
    rows = await League.raw(_ROSTER_SQL, league_id)  # pooled or not (seed, CLI)
    return dict(rows[0]) if rows else None


async def visitor_view(league_id: int, user_id: int) -> Row | None:
    """``{team_id, is_private, settings}`` of the league for the user (``team_id`` None
    when the user has no team), or None when the league does not exist: one index lookup
    on the pool, the socket connect's check of a user the cached roster does not list."""
    row = await pool().fetchrow(
        "SELECT t.id AS team_id, l.is_private, l.settings FROM league l "
        'LEFT JOIN team t ON t.league = l.id AND t."user" = $2 WHERE l.id = $1',
        league_id,
        user_id,
    )
    return None if row is None else dict(row)


async def draft_in_progress(league_id: int) -> bool:
    """True while a draft of the league is live or paused."""
    return bool(
        await Draft.exists().where(
            (Draft.league == league_id) & (Draft.status.is_in(list(DRAFT_IN_PROGRESS)))
        )
    )


async def has_team(league_id: int, user_id: int) -> bool:
    """True when the user has a team in the league."""
    return bool(await Team.exists().where((Team.league == league_id) & (Team.user == user_id)))


async def team_name_taken(league_id: int, name_key: str) -> bool:
    """True when a team of the league has the name (its uniqueness key)."""
    return bool(await Team.exists().where((Team.league == league_id) & (Team.name_key == name_key)))


async def insert_team(**values: Any) -> Row:
    """A new team; its row."""
    rows = await Team.insert(Team(**values)).returning(*Team.all_columns())
    row: Row = rows[0]
    return row


async def delete_team(league_id: int, user_id: int) -> None:
    """Delete the user's team in the league."""
    await Team.delete().where((Team.league == league_id) & (Team.user == user_id))


async def account_exists(user_id: int) -> bool:
    """True when the account exists."""
    return bool(await Account.exists().where(Account.id == user_id))


# Demo seats (inside the joining transaction).

_SEAT_COLUMNS = (League.id, League.max_teams, League.commissioner, League.season)


async def newest_bot_team(league_id: int, commissioner: int) -> int | None:
    """The league's newest bot team not owned by the commissioner."""
    bot = (
        await Team.select(Team.id)
        .where((Team.league == league_id) & (Team.is_bot.eq(True)) & (Team.user != commissioner))
        .order_by(Team.id, ascending=False)
        .first()
    )
    return None if bot is None else int(bot["id"])


async def team_name_taken_by_other(league_id: int, name_key: str, team_id: int) -> bool:
    """True when a team of the league other than ``team_id`` has the name."""
    return bool(
        await Team.exists().where(
            (Team.league == league_id) & (Team.name_key == name_key) & (Team.id != team_id)
        )
    )


async def hand_over_team(team_id: int, user_id: int, name: str, name_key: str, at: datetime) -> Row:
    """Give a bot team to a person (renamed, no longer a bot); its row."""
    rows = (
        await Team.update(
            {
                Team.user: user_id,
                Team.is_bot: False,
                Team.name: name,
                Team.name_key: name_key,
                Team.joined_at: at,
            }
        )
        .where(Team.id == team_id)
        .returning(*Team.all_columns())
    )
    row: Row = rows[0]
    return row


async def lock_other_demo_leagues(season: int, league_id: int) -> list[Row]:
    """``id, max_teams, commissioner, season`` of the season's other demo leagues, newest
    first, locked."""
    rows = (
        await League.select(*_SEAT_COLUMNS)
        .where((League.is_demo.eq(True)) & (League.season == season))
        .where(League.id != league_id)
        .order_by(League.id, ascending=False)
        .lock_rows()
    )
    return [dict(row) for row in rows]


async def lock_seat_columns(league_id: int) -> Row | None:
    """``id, max_teams, commissioner, season`` of the league, locked."""
    row = await League.select(*_SEAT_COLUMNS).where(League.id == league_id).lock_rows().first()
    return None if row is None else dict(row)


# "Draft opens" e-mails (services/email_prefs.py, services/drafts/opening_mail.py).


async def team_email_prefs(league_id: int, user_id: int) -> dict[str, Any] | None:
    """``{id, email_draft_opens}`` of the user's team in the league (None: no team)."""
    row = (
        await Team.select(Team.id, Team.email_draft_opens)
        .where((Team.league == league_id) & (Team.user == user_id))
        .first()
    )
    return None if row is None else dict(row)


async def set_team_email_prefs(team_id: int, draft_opens: bool) -> None:
    """Store the team's "draft opens" opt-in."""
    await Team.update({Team.email_draft_opens: draft_opens}).where(Team.id == team_id)


_DRAFT_OPENS_SUBSCRIBERS = """
SELECT a.email, a.username, l.name AS league, r.name AS race
FROM team t JOIN account a ON a.id = t."user" JOIN league l ON l.id = t.league
JOIN race r ON r.id = $3
WHERE t.league = $1 AND t."user" = ANY($2::int[]) AND t.email_draft_opens AND NOT t.is_bot
ORDER BY t.id
"""


async def draft_opens_subscribers(
    conn: asyncpg.Connection, league_id: int, user_ids: list[int], race_id: int
) -> list[asyncpg.Record]:
    """``email, username, league, race`` of those of ``user_ids`` whose team in the league
    opted in to "draft opens" mails (on ``conn``, inside the opening commit)."""
    return list(await conn.fetch(_DRAFT_OPENS_SUBSCRIBERS, league_id, user_ids, race_id))

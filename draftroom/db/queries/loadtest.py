"""Queries of the load test (``draftroom loadtest``): populating leagues of bots and reading
back what the run stored."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from draftroom.db.convert import jsonb
from draftroom.db.engine import pool
from draftroom.db.tables import Account, Team

_account_pk = Account._meta.primary_key


async def pool_drivers(season: int) -> list[int]:
    """The season's active drivers, highest car number first."""
    rows = await pool().fetch(
        "SELECT d.id FROM driver_entry de JOIN driver d ON d.id = de.driver "
        "WHERE de.season = $1 AND de.active AND d.active ORDER BY d.number DESC NULLS LAST, d.id",
        season,
    )
    return [int(r["id"]) for r in rows]


async def races(season: int) -> list[int]:
    """The season's races not cancelled, by round."""
    rows = await pool().fetch(
        "SELECT id FROM race WHERE season = $1 AND status <> 'cancelled' ORDER BY round", season
    )
    return [int(r["id"]) for r in rows]


async def insert_accounts(rows: Sequence[dict[str, Any]]) -> list[int]:
    """Accounts (column values per row) in one statement; their ids."""
    result = await Account.insert(*(Account(**row) for row in rows)).returning(_account_pk)
    return [int(r["id"]) for r in result]


async def insert_teams(rows: Sequence[dict[str, Any]]) -> None:
    """Teams (column values per row) in one statement."""
    if rows:
        await Team.insert(*(Team(**row) for row in rows))


async def league_teams(league_id: int) -> list[tuple[int, int]]:
    """``(team_id, user_id)`` of the league in joining order."""
    rows = await pool().fetch(
        'SELECT id, "user" FROM team WHERE league = $1 ORDER BY joined_at, id', league_id
    )
    return [(int(r["id"]), int(r["user"])) for r in rows]


async def drafts_of(league_ids: list[int]) -> list[tuple[int, int, tuple[int, ...], int]]:
    """``(draft_id, league_id, order, picks_per_team)`` of the leagues' drafts."""
    rows = await pool().fetch(
        'SELECT id, league, "order", picks_per_team FROM draft WHERE league = ANY($1) '
        "ORDER BY league, id",
        league_ids,
    )
    return [
        (int(r["id"]), int(r["league"]), tuple(int(t) for t in jsonb(r["order"])),
         int(r["picks_per_team"]))
        for r in rows
    ]  # fmt: skip


async def read_run(draft_ids: list[int]) -> tuple[Any, ...]:
    """In one read-only snapshot (a commit landing meanwhile is seen whole or not at all):
    final seqs, pick-event seq bitmaps, pick events per (draft, pick_no), stored picks, and
    how many drafts have gaps in their event log."""
    async with (
        pool().acquire() as conn,
        conn.transaction(isolation="repeatable_read", readonly=True),
    ):
        return await _read(conn, draft_ids)


async def _read(conn: Any, draft_ids: list[int]) -> tuple[Any, ...]:
    seqs = {
        int(r["id"]): int(r["seq"])
        for r in await conn.fetch("SELECT id, seq FROM draft WHERE id = ANY($1)", draft_ids)
    }
    pick_seqs: dict[int, int] = {}
    event_picks: dict[tuple[int, int], int] = {}
    rows = await conn.fetch(
        "SELECT draft, seq, (payload->>'pick_no')::int AS pick_no FROM draft_event "
        "WHERE draft = ANY($1) AND type = 'draft:pick'",
        draft_ids,
    )
    for r in rows:
        pick_seqs[r["draft"]] = pick_seqs.get(r["draft"], 0) | (1 << r["seq"])
        key = (r["draft"], r["pick_no"])
        event_picks[key] = event_picks.get(key, 0) + 1
    picks: dict[int, dict[int, int]] = {}
    for r in await conn.fetch(
        "SELECT draft, pick_no, driver FROM pick WHERE draft = ANY($1)", draft_ids
    ):
        picks.setdefault(int(r["draft"]), {})[int(r["pick_no"])] = int(r["driver"])
    gaps = await conn.fetchval(
        "SELECT count(*) FROM (SELECT draft, count(*) AS n, max(seq) AS top FROM draft_event "
        "WHERE draft = ANY($1) GROUP BY draft) t WHERE n <> top",
        draft_ids,
    )
    return seqs, pick_seqs, event_picks, picks, gaps


async def activity() -> tuple[int, int]:
    """``(stuck, busy)``: transactions idle for over 5 s, and connections in use."""
    row = await pool().fetchrow(
        "SELECT count(*) FILTER (WHERE state = 'idle in transaction' "
        "AND now() - xact_start > interval '5 seconds') AS stuck, "
        "count(*) FILTER (WHERE state <> 'idle') AS busy FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    )
    return int(row["stuck"]), int(row["busy"])


# The slow-clocks measurement (draftroom.loadtest.slowclocks).


async def insert_slow_drafts(
    users: Sequence[int],
    count: int,
    *,
    season: int,
    settings: dict[str, Any],
    pick_seconds: int,
    now: datetime,
) -> list[int]:
    """``count`` private two-team leagues (users paired in order) with a draft each of the
    season's first race, opening ``now``; the draft ids."""
    db = pool()
    race = await db.fetchval(
        "SELECT id FROM race WHERE season = $1 AND status <> 'cancelled' ORDER BY round LIMIT 1",
        season,
    )
    leagues = await db.fetch(
        "INSERT INTO league (name, season, commissioner, is_private, code, max_teams, settings, "
        "is_demo, created_at) SELECT 'Slow ' || i, $1, ($2::int[])[i], true, "
        "upper(substr(md5(random()::text || i), 1, 8)), 2, $3::jsonb, false, $4 "
        "FROM generate_series(1, $5) AS i RETURNING id, commissioner",
        season,
        list(users[::2]),
        json.dumps(settings),
        now,
        count,
    )
    rows = sorted((int(r["id"]), int(r["commissioner"])) for r in leagues)
    league_ids = [league for league, _ in rows]
    second = {users[2 * i]: users[2 * i + 1] for i in range(count)}
    await db.execute(
        'INSERT INTO team (league, "user", name, name_key, is_bot, joined_at) '
        "SELECT l, u, n, lower(n), false, $4 FROM unnest($1::int[], $2::int[], $3::text[]) "
        "AS t(l, u, n)",
        league_ids * 2,
        [c for _, c in rows] + [second[c] for _, c in rows],
        ["Team A"] * count + ["Team B"] * count,
        now,
    )
    drafts = await db.fetch(
        "INSERT INTO draft (league, race, status, draft_type, pick_seconds, picks_per_team, "
        'order_policy, "order", opens_at, locks_at, seq, created_at) '
        "SELECT l.id, $1, 'scheduled', 'snake', $2, 2, 'rotate', "
        "(SELECT jsonb_agg(t.id ORDER BY t.id) FROM team t WHERE t.league = l.id), "
        "$3, $4, 0, $3 FROM league l WHERE l.id = ANY($5::int[]) RETURNING id",
        race,
        pick_seconds,
        now,
        now + timedelta(days=3),
        league_ids,
    )
    await db.execute(
        "INSERT INTO draft_team (draft, team, queue, autodraft, consecutive_timeouts) "
        "SELECT d.id, t.id, '[]', false, 0 FROM draft d JOIN team t ON t.league = d.league "
        "WHERE d.league = ANY($1::int[])",
        league_ids,
    )
    return sorted(int(r["id"]) for r in drafts)


async def all_draft_ids() -> list[int]:
    """Every draft's id."""
    return [int(r["id"]) for r in await pool().fetch("SELECT id FROM draft")]


async def live_draft_count() -> int:
    """How many drafts are live."""
    return int(await pool().fetchval("SELECT count(*) FROM draft WHERE status = 'live'"))

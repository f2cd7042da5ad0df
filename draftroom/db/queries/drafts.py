"""Queries on drafts: load a draft under its row lock and persist a transition; the read
side (picks, summaries, the event log). Creating and scheduling drafts:
:mod:`draftroom.db.queries.draft_planning`; clocks: :mod:`draftroom.db.queries.draft_clocks`;
captains: :mod:`draftroom.db.queries.captains`.

The draft row is the clock (``deadline_ms``) and the event counter (``seq``); picks,
per-team state (``draft_team``) and the event log are written in the same transaction.
:func:`load` reads everything in one statement (one round trip). Under READ COMMITTED a
statement that waited for the row lock still reads the other tables as of its start, so
every transaction that writes draft data under the lock also updates the draft row
(:func:`persist`, :func:`save_queue` do): a newer locked row than the statement's
snapshot shows means a re-read. Only :mod:`draftroom.services.drafts.commit` and the
queue command load ``for_update``; the snapshot and the runner read without the lock.
:func:`persist_if_unchanged` writes without the lock: its one statement writes nothing
unless the draft row is still the version read (``xmin``), and every writer of draft data
updates that row.
Transactions belong to the callers: functions taking ``conn`` run inside theirs.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg

from draftroom.db.convert import from_ms, jsonb, to_ms
from draftroom.db.engine import pool
from draftroom.domain.autopick import RankingRow, build_ranking
from draftroom.domain.draft import DraftState, Event, Pick, Transition
from draftroom.domain.entries import pool_numbers
from draftroom.domain.quiet_hours import QuietHours, parse_quiet_hours
from draftroom.errors import Conflict, DriverTaken, NotFound, PickTaken, ValidationFailed


@dataclass
class Loaded:
    """A draft as read under its row lock: the domain state plus what the service needs."""

    draft_id: int
    league_id: int
    race_id: int
    season: int
    commissioner_id: int
    state: DraftState
    queues: dict[int, list[int]]
    numbers: dict[int, int | None]
    """Car number of every pool driver (the fallback ranking)."""
    owners: dict[int, int] = field(default_factory=dict)
    """team_id -> user_id of every team of the draft."""
    bots: frozenset[int] = frozenset()
    """Bot teams (demo league)."""
    is_private: bool = True
    out_of_race: frozenset[int] = frozenset()
    """Drivers replaced or withdrawn for the draft's race (not in the pool)."""
    league_name: str = ""
    is_demo: bool = False
    """A demo or mock league: nobody in it is notified (bots, nor the visitors who took a
    seat, nor a mock draft's user, who is in the room)."""
    bot_seed: int | None = None
    """A mock draft's seed: its bots' picks are reproducible (None: the demo's, unseeded)."""
    slow_notices: bool = True
    """The league's ``slow_draft_notifications`` setting."""
    version: str = field(default="", compare=False)
    """The draft row's version as read (its ``xmin``): :func:`persist_if_unchanged` writes
    only while it is still the current one."""

    def team_of(self, user_id: int) -> int | None:
        """The draft team owned by ``user_id``, if any."""
        for team, owner in self.owners.items():
            if owner == user_id:
                return team
        return None

    def fallback_ranking(self) -> tuple[int, ...]:
        """Ranking without results: car number ascending (unknown last), then id."""
        return build_ranking(RankingRow(d, 0.0, None, n) for d, n in self.numbers.items())


_LOAD_SQL = """
SELECT d.league, d.race, d.status, d.draft_type, d.pick_seconds, d.picks_per_team,
       d."order", d.opens_at, d.locks_at, d.deadline_ms, d.paused_remaining_ms, d.seq,
       l.season, l.commissioner, l.is_private, l.name AS league_name,
       l.is_demo OR l.is_mock AS is_demo,
       (SELECT m.seed FROM mock_draft m WHERE m.league = d.league) AS bot_seed,
       l.settings -> 'quiet_hours' AS quiet_hours,
       coalesce((l.settings ->> 'slow_draft_notifications')::boolean, true) AS slow_notices,
       d.xmin <> (SELECT s.xmin FROM draft s WHERE s.id = d.id) AS stale,
       d.xmin::text AS version,
       (SELECT coalesce(json_agg(json_build_array(p.pick_no, p.round, p.team, p.driver,
                   p."by", floor(extract(epoch FROM p.made_at) * 1000)::bigint)
                   ORDER BY p.pick_no), '[]')
          FROM pick p WHERE p.draft = d.id) AS picks,
       (SELECT coalesce(json_agg(json_build_array(dt.team, dt.queue, dt.autodraft,
                   dt.consecutive_timeouts, t."user", t.is_bot) ORDER BY dt.team), '[]')
          FROM draft_team dt JOIN team t ON t.id = dt.team WHERE dt.draft = d.id) AS teams,
       (SELECT coalesce(json_agg(json_build_array(v.id, v.number) ORDER BY v.id), '[]')
          FROM driver_entry de JOIN driver v ON v.id = de.driver
         WHERE de.season = l.season AND de.active AND v.active) AS drivers,
       (SELECT coalesce(json_agg(json_build_array(c.out_driver, c.in_driver, v.number)), '[]')
          FROM race_entry_change c LEFT JOIN driver v ON v.id = c.in_driver
         WHERE c.race = d.race) AS changes
FROM draft d JOIN league l ON l.id = d.league
WHERE d.id = $1
"""


def _quiet_hours(raw: Any) -> QuietHours | None:
    """The league's quiet hours (validated when saved; unusable ones are ignored)."""
    try:
        return parse_quiet_hours(jsonb(raw) if raw is not None else None)
    except ValidationFailed:
        return None


async def load(conn: asyncpg.Connection, draft_id: int, *, for_update: bool) -> Loaded:
    """Read a draft, its picks, teams and pool; ``for_update`` takes the row lock."""
    sql = _LOAD_SQL + (" FOR UPDATE OF d" if for_update else "")
    row = await conn.fetchrow(sql, draft_id)
    if row is not None and row["stale"]:
        # The lock was taken after a concurrent writer committed: read again, now locked.
        row = await conn.fetchrow(sql, draft_id)
    if row is None:
        raise NotFound("No such draft.", details={"draft_id": draft_id})
    picks = jsonb(row["picks"])
    teams = jsonb(row["teams"])
    changes = jsonb(row["changes"])
    drivers = pool_numbers(dict(jsonb(row["drivers"])), changes)  # the race's entry list
    state = DraftState(
        order=tuple(jsonb(row["order"])),
        pool=frozenset(drivers),
        draft_type=row["draft_type"],
        pick_seconds=row["pick_seconds"],
        picks_per_team=row["picks_per_team"],
        status=row["status"],
        picks=tuple(Pick(n, rnd, team, d, by, at or 0) for n, rnd, team, d, by, at in picks),
        deadline_ms=row["deadline_ms"] if row["status"] == "live" else None,
        remaining_ms=row["paused_remaining_ms"] if row["status"] == "paused" else None,
        timeouts=tuple(sorted((t[0], t[3]) for t in teams if t[3])),
        autodraft=frozenset(t[0] for t in teams if t[2]),
        quiet_hours=_quiet_hours(row["quiet_hours"]),
        opens_at_ms=to_ms(row["opens_at"]),
        locks_at_ms=to_ms(row["locks_at"]),
        seq=row["seq"],
    )
    return Loaded(
        draft_id=draft_id,
        league_id=row["league"],
        race_id=row["race"],
        season=row["season"],
        commissioner_id=row["commissioner"],
        state=state,
        queues={t[0]: list(t[1] or []) for t in teams},
        numbers=drivers,
        owners={t[0]: t[4] for t in teams},
        bots=frozenset(t[0] for t in teams if t[5]),
        is_private=row["is_private"],
        out_of_race=frozenset(out for out, _, _ in changes),
        league_name=row["league_name"],
        is_demo=row["is_demo"],
        bot_seed=row["bot_seed"],
        slow_notices=row["slow_notices"],
        version=row["version"],
    )


def _unique_error(error: asyncpg.UniqueViolationError) -> Conflict:
    name = getattr(error, "constraint_name", "") or ""
    if "pick" in name:
        return PickTaken()
    if "driver" in name:
        return DriverTaken()
    return Conflict("The draft changed concurrently; try again.")


_WRITE_SQL = """
WITH moved AS (
    UPDATE draft SET status = $2::varchar, deadline_ms = $3, paused_remaining_ms = $4,
        seq = $5,
        started_at = CASE WHEN $2::varchar = 'live' THEN coalesce(started_at, $6)
            ELSE started_at END,
        completed_at = CASE WHEN $2::varchar = 'complete' THEN coalesce(completed_at, $6)
            ELSE completed_at END
    WHERE id = $1 AND ($17::text IS NULL OR xmin::text = $17::text)
    RETURNING id
), new_picks AS (
    INSERT INTO pick (draft, pick_no, round, team, driver, "by", made_at)
    SELECT m.id, n, r, t, d, b, a
    FROM moved m,
         unnest($7::int[], $8::int[], $9::int[], $10::int[], $11::text[], $12::timestamptz[])
             AS x(n, r, t, d, b, a)
    RETURNING 1
), new_events AS (
    INSERT INTO draft_event (draft, seq, type, payload, at)
    SELECT m.id, s, y, p::jsonb, a
    FROM moved m, unnest($13::int[], $14::text[], $15::text[], $16::timestamptz[])
        AS x(s, y, p, a)
    RETURNING 1
), teams AS (
    UPDATE draft_team dt SET autodraft = x.a, consecutive_timeouts = x.c
    FROM moved m, unnest($18::int[], $19::bool[], $20::int[]) AS x(team, a, c)
    WHERE dt.draft = m.id AND dt.team = x.team
    RETURNING 1
)
SELECT count(*) FROM moved
"""
"""New picks, events, team state and the draft row in one statement (one round trip).
With a version (``$17``) it writes nothing unless the draft row is still that version:
every sub-statement reads ``moved``."""


def fits_one_statement(loaded: Loaded, tr: Transition) -> bool:
    """True when ``tr`` only adds picks and events and changes the draft row and team state
    (no pick removed by an undo, opening and lock times unchanged): what
    :func:`persist_if_unchanged` writes."""
    old, new = loaded.state, tr.state
    return new.picks[: len(old.picks)] == old.picks and (old.opens_at_ms, old.locks_at_ms) == (
        new.opens_at_ms,
        new.locks_at_ms,
    )


async def persist(conn: asyncpg.Connection, loaded: Loaded, tr: Transition) -> None:
    """Under the draft's row lock: write the difference between ``loaded.state`` and
    ``tr.state`` plus ``tr.events`` (an undo's deleted picks and changed opening or lock
    times first, then :data:`_WRITE_SQL`)."""
    old, new = loaded.state, tr.state
    draft_id = loaded.draft_id
    keep = 0
    for a, b in zip(old.picks, new.picks, strict=False):
        if a != b:
            break
        keep += 1
    if keep < len(old.picks):
        await conn.execute("DELETE FROM pick WHERE draft = $1 AND pick_no > $2", draft_id, keep)
    if (old.opens_at_ms, old.locks_at_ms) != (new.opens_at_ms, new.locks_at_ms):
        await conn.execute(
            "UPDATE draft SET opens_at = $2, locks_at = $3 WHERE id = $1",
            draft_id,
            from_ms(new.opens_at_ms) if new.opens_at_ms is not None else None,
            from_ms(new.locks_at_ms) if new.locks_at_ms is not None else None,
        )
    await _write(conn, loaded, tr, keep, None)


async def persist_if_unchanged(conn: asyncpg.Connection, loaded: Loaded, tr: Transition) -> bool:
    """Without the row lock (``loaded`` read without it): write ``tr`` in one statement if
    the draft row is still the version read, and say so; False, with nothing written, when
    another transaction changed the row since. Only for :func:`fits_one_statement`."""
    if not fits_one_statement(loaded, tr):
        raise ValueError("this transition needs the row lock (persist)")
    return await _write(conn, loaded, tr, len(loaded.state.picks), loaded.version)


async def _write(
    conn: asyncpg.Connection, loaded: Loaded, tr: Transition, keep: int, version: str | None
) -> bool:
    old, new = loaded.state, tr.state
    picks = new.picks[keep:]
    events = tr.events
    teams = _team_changes(old, new)
    now = from_ms(events[-1].at_ms) if events else datetime.now(UTC)
    try:
        written = await conn.fetchval(
            _WRITE_SQL,
            loaded.draft_id,
            new.status,
            new.deadline_ms,
            new.remaining_ms,
            new.seq,
            now,
            [p.pick_no for p in picks],
            [p.round for p in picks],
            [p.team_id for p in picks],
            [p.driver_id for p in picks],
            [p.by for p in picks],
            [from_ms(p.at_ms) for p in picks],
            [e.seq for e in events],
            [e.type for e in events],
            [json.dumps(e.data) for e in events],
            [from_ms(e.at_ms) for e in events],
            version,
            [team for team, _, _ in teams],
            [autodraft for _, autodraft, _ in teams],
            [timeouts for _, _, timeouts in teams],
        )
    except asyncpg.UniqueViolationError as error:
        raise _unique_error(error) from error
    return bool(written)


def _team_changes(old: DraftState, new: DraftState) -> list[tuple[int, bool, int]]:
    """``(team, autodraft, consecutive timeouts)`` of every team whose state changed."""
    rows = []
    for team in new.order:
        after = (team in new.autodraft, new.timeouts_of(team))
        if (team in old.autodraft, old.timeouts_of(team)) != after:
            rows.append((team, *after))
    return rows


async def save_queue(
    conn: asyncpg.Connection, draft_id: int, team_id: int, driver_ids: Sequence[int]
) -> None:
    """Replace a team's queue (under the draft's row lock; also bumps the row, see above)."""
    await conn.execute(
        "WITH bump AS (UPDATE draft SET seq = seq WHERE id = $1) "
        "UPDATE draft_team SET queue = $3 WHERE draft = $1 AND team = $2",
        draft_id,
        team_id,
        json.dumps(list(driver_ids)),
    )


async def fetch_events(draft_id: int, after_seq: int, limit: int) -> list[Event]:
    """Logged events with seq > ``after_seq``, oldest first, at most ``limit``."""
    rows = await pool().fetch(
        "SELECT seq, type, payload, at FROM draft_event WHERE draft = $1 AND seq > $2 "
        "ORDER BY seq LIMIT $3",
        draft_id,
        after_seq,
        limit,
    )
    return [Event(r["seq"], r["type"], jsonb(r["payload"]), to_ms(r["at"]) or 0) for r in rows]


async def league_of(draft_id: int) -> int | None:
    """The league of a draft (None when unknown)."""
    league = await pool().fetchval("SELECT league FROM draft WHERE id = $1", draft_id)
    return None if league is None else int(league)


async def seq_of(draft_id: int) -> int | None:
    """The draft's event counter (None when unknown)."""
    seq: int | None = await pool().fetchval("SELECT seq FROM draft WHERE id = $1", draft_id)
    return seq


_NAMES_SQL = """
SELECT (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name,
                                                   'user_id', t."user")), '[]')
          FROM draft_team dt JOIN team t ON t.id = dt.team WHERE dt.draft = $1) AS teams,
       (SELECT json_build_object('id', r.id, 'name', r.name, 'round', r.round,
                                 'season', r.season)
          FROM race r WHERE r.id = $2) AS race
"""
"""Team names and the race of a draft, in one round trip."""


async def load_with_names(draft_id: int) -> tuple[Loaded, dict[int, Any], Any]:
    """A draft read without the lock, its teams by id (``{id, name, user_id}``) and its race
    (``{id, name, round, season}``), on one connection."""
    async with pool().acquire() as conn:
        loaded = await load(conn, draft_id, for_update=False)
        extra = await conn.fetchrow(_NAMES_SQL, draft_id, loaded.race_id)
    by_id = {t["id"]: t for t in jsonb(extra["teams"])}
    return loaded, by_id, jsonb(extra["race"])


async def picks(draft_id: int) -> list[Pick]:
    """The picks of a draft in pick order."""
    rows = await pool().fetch(
        'SELECT pick_no, round, team, driver, "by", made_at FROM pick WHERE draft = $1 '
        "ORDER BY pick_no",
        draft_id,
    )
    return [
        Pick(r["pick_no"], r["round"], r["team"], r["driver"], r["by"], to_ms(r["made_at"]) or 0)
        for r in rows
    ]


async def current_draft_id(league_id: int) -> int | None:
    """The league's live or paused draft, else the next scheduled (not yet locked), else the
    last complete, else a stale scheduled one."""
    row = await pool().fetchrow(
        """
        SELECT id FROM draft WHERE league = $1 AND status <> 'cancelled'
        ORDER BY
          CASE WHEN status IN ('live', 'paused') THEN 0
               WHEN status = 'scheduled' AND locks_at > now() THEN 1
               WHEN status = 'complete' THEN 2 ELSE 3 END,
          CASE WHEN status = 'scheduled' THEN extract(epoch FROM coalesce(opens_at, locks_at))
               ELSE -extract(epoch FROM coalesce(completed_at, started_at, created_at)) END,
          id DESC
        LIMIT 1
        """,
        league_id,
    )
    return None if row is None else int(row["id"])


@dataclass(frozen=True)
class DraftSummary:
    """A row of a league's draft list."""

    id: int
    race_id: int
    race_name: str
    race_round: int
    status: str
    draft_type: str
    pick_seconds: int
    picks_per_team: int
    order: list[int]
    picks_made: int
    seq: int
    opens_at: datetime | None
    locks_at: datetime | None
    started_at: datetime | None
    completed_at: datetime | None
    created_at: datetime


async def league_drafts(league_id: int) -> list[DraftSummary]:
    """The league's drafts, newest first."""
    rows = await pool().fetch(
        """
        SELECT d.id, d.race, d.status, d.draft_type, d.pick_seconds, d.picks_per_team, d."order",
               d.opens_at, d.locks_at, d.started_at, d.completed_at, d.created_at, d.seq,
               r.name AS race_name, r.round AS race_round,
               (SELECT count(*) FROM pick p WHERE p.draft = d.id) AS picks_made
        FROM draft d JOIN race r ON r.id = d.race
        WHERE d.league = $1 ORDER BY d.created_at DESC, d.id DESC
        """,
        league_id,
    )
    return [
        DraftSummary(
            id=r["id"],
            race_id=r["race"],
            race_name=r["race_name"],
            race_round=r["race_round"],
            status=r["status"],
            draft_type=r["draft_type"],
            pick_seconds=r["pick_seconds"],
            picks_per_team=r["picks_per_team"],
            order=jsonb(r["order"]),
            picks_made=r["picks_made"],
            seq=r["seq"],
            opens_at=r["opens_at"],
            locks_at=r["locks_at"],
            started_at=r["started_at"],
            completed_at=r["completed_at"],
            created_at=r["created_at"],
        )
        for r in rows
    ]

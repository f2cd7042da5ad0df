"""Team race scores of every league with a draft for a race, under each league's scoring.

Used inside the results ingestion transaction (:mod:`draftroom.services.results.ingest`): the
line-ups are read and the scores written on the caller's connection, so a revision and all
its scores commit together. Scoring is a pure function of (classification, line-ups,
league settings), so re-scoring a revision gives the same rows (upsert on
``(team, race, revision)``).

A league is scored when its draft of the race is not cancelled and has at least one pick;
its teams are those of the draft (``draft_team``) and those with picks. The captain is the
team's named captain for the race when it is one of its drafted drivers, else its first pick.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import asyncpg

from draftroom.db.queries import entries as entry_queries
from draftroom.db.queries import scoring as queries
from draftroom.domain.classification import Classification
from draftroom.domain.entries import SEAT, seat_points
from draftroom.domain.league_settings import LeagueSettings
from draftroom.domain.scoring import ScoringTable, driver_weekend_points, team_race_score
from draftroom.errors import DraftroomError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Lineup:
    """One team's drafted drivers for a race, with its league's scoring."""

    league_id: int
    team_id: int
    user_id: int
    team_name: str
    drivers: tuple[int, ...]  # in pick order
    captain: int | None
    table: ScoringTable
    captain_multiplier: float
    is_bot: bool = False
    substitutes: str = SEAT
    """The league's rule for a drafted driver who did not take part (``seat``/``driver``)."""
    replaced_by: Mapping[int, int] = field(default_factory=dict)
    """The race's substitutions: ``{replaced driver: substitute}``."""
    league_name: str = ""
    is_demo: bool = False


@dataclass(frozen=True)
class TeamScoreRow:
    """A team's race score, ready to store."""

    league_id: int
    team_id: int
    user_id: int
    team_name: str
    points: float
    captain_driver_id: int | None
    drivers: tuple[dict[str, Any], ...]  # {driver_id, fantasy_points, captain, points}
    is_bot: bool = False  # bot teams (demo league) are scored but not notified
    league_name: str = ""
    is_demo: bool = False  # no team of a demo league is notified (bots, nor visitors)


def league_scoring(raw_settings: Any) -> tuple[ScoringTable, float, str]:
    """A league's scoring table, captain multiplier and substitutes rule from its stored
    settings.

    Stored settings were validated when saved; should they still be unusable, the league is
    scored with the defaults (logged) rather than blocking everybody's results.
    """
    if isinstance(raw_settings, str):
        raw_settings = json.loads(raw_settings or "{}")
    try:
        settings = LeagueSettings.from_stored(raw_settings or {})
        return settings.scoring_table(), float(settings.captain_multiplier), settings.substitutes
    except (DraftroomError, TypeError, ValueError):
        log.warning("unusable league settings %r; scoring with defaults", raw_settings)
        defaults = LeagueSettings()
        return ScoringTable(), defaults.captain_multiplier, defaults.substitutes


async def load_lineups(conn: asyncpg.Connection, race_id: int) -> list[Lineup]:
    """Every scored team's line-up for ``race_id`` (league by league)."""
    found = await queries.lineup_rows(conn, race_id)
    if not found.drafts:
        return []
    seats = await entry_queries.replaced_by(conn, race_id)
    by_draft = {d.draft_id: d for d in found.drafts}
    scoring = {d.draft_id: league_scoring(d.settings) for d in found.drafts}
    lineups: list[Lineup] = []
    for row in found.teams:
        draft_id, team_id = row.draft_id, row.team_id
        drivers = tuple(found.picks.get((draft_id, team_id), ()))
        named = found.captains.get(team_id)
        captain = named if named in drivers else (drivers[0] if drivers else None)
        table, multiplier, substitutes = scoring[draft_id]
        lineups.append(
            Lineup(
                league_id=by_draft[draft_id].league_id,
                team_id=team_id,
                user_id=row.user_id,
                team_name=row.name,
                drivers=drivers,
                captain=captain,
                table=table,
                captain_multiplier=multiplier,
                is_bot=row.is_bot,
                substitutes=substitutes,
                replaced_by=seats,
                league_name=by_draft[draft_id].league_name,
                is_demo=bool(by_draft[draft_id].is_demo),
            )
        )
    return sorted(lineups, key=lambda x: (x.league_id, x.team_id))


def score_lineups(
    lineups: Sequence[Lineup], classification: Classification, driver_ids: Mapping[str, int]
) -> list[TeamScoreRow]:
    """Each line-up's race score under its league's table (pure)."""
    by_table: dict[ScoringTable, dict[int, Any]] = {}
    rows: list[TeamScoreRow] = []
    refs = [r.driver_ref for r in (*classification.race, *classification.sprint)]
    refs += [q.driver_ref for q in classification.qualifying]
    took_part = {driver_ids[ref] for ref in refs if ref in driver_ids}
    for lineup in lineups:
        points = by_table.get(lineup.table)
        if points is None:
            weekend = driver_weekend_points(classification, lineup.table)
            points = {driver_ids[ref]: p for ref, p in weekend.items() if ref in driver_ids}
            by_table[lineup.table] = points
        counted, seats = seat_points(
            points, lineup.drivers, lineup.replaced_by, lineup.substitutes, took_part
        )
        score = team_race_score(counted, lineup.drivers, lineup.captain, lineup.captain_multiplier)
        rows.append(
            TeamScoreRow(
                league_id=lineup.league_id,
                team_id=lineup.team_id,
                user_id=lineup.user_id,
                team_name=lineup.team_name,
                points=score.total,
                captain_driver_id=lineup.captain,
                drivers=tuple(
                    {
                        "driver_id": d.driver,
                        "fantasy_points": d.fantasy_points,
                        "captain": d.captain,
                        "points": d.points,
                        **({"substitute_id": seats[d.driver]} if d.driver in seats else {}),
                    }
                    for d in score.drivers
                ),
                is_bot=lineup.is_bot,
                league_name=lineup.league_name,
                is_demo=lineup.is_demo,
            )
        )
    return rows


async def write_team_scores(
    conn: asyncpg.Connection,
    race_id: int,
    revision: int,
    rows: Sequence[TeamScoreRow],
    now: datetime,
) -> None:
    """Store (or overwrite, idempotently) the team scores of one revision."""
    await queries.write_team_scores(
        conn,
        [
            (
                r.league_id,
                r.team_id,
                race_id,
                revision,
                Decimal(str(r.points)),
                r.captain_driver_id,
                json.dumps(list(r.drivers)),
                now,
            )
            for r in rows
        ],
    )


async def team_points_before(
    conn: asyncpg.Connection, race_id: int, revision: int
) -> dict[int, float]:
    """``{team_id: points}``: each team's latest score of the race before ``revision``."""
    return await queries.points_before(conn, race_id, revision)

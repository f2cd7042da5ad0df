"""Season and race leaderboards: the teams of every public league, plus the caller's own,
ranked by default-scoring points (see :mod:`draftroom.domain.leaderboard`).

A board is built once from the stored team race scores (every team of every league, with
whether its league is public and who owns it), kept in Redis under a key that carries the
results revision counter (bumped whenever a results revision lands, so a correction is
seen at once), and for 5 minutes at most, so new teams, renames and privacy changes show
within that time. Each web process also keeps the parsed board of the current key in
memory: a cached read is one Redis round trip (the counter), then a slice of a list.
"""

from __future__ import annotations

import heapq
import json
import logging
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from draftroom.contracts.leaderboards import LeaderboardRow
from draftroom.db.queries import leaderboards as queries
from draftroom.db.queries import reference as reference_queries
from draftroom.domain.leaderboard import (
    DEFAULT_CAPTAIN_MULTIPLIER,
    Entry,
    RaceScore,
    ranked,
    season_entries,
)
from draftroom.domain.league_settings import LeagueSettings
from draftroom.errors import NotFound
from draftroom.services.results import cache as results_cache
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)

TTL_S = 300
MAX_PER_PAGE = 200
_MEMO_SIZE = 8
_EPOCH_KEY = "draftroom:leaderboard:epoch"

# A board line, as cached: team_id, team_name, league_id, league_name, user_id, public,
# points, league_points, races, best, adjusted.
Line = tuple[int, str, int, str, int, bool, float, float, int, float, bool]


def _sort_key(line: Line) -> tuple[float, float, int]:
    return (-line[6], -line[9], line[0])


@dataclass
class Board:
    """A built leaderboard: public lines best first, and each user's private lines."""

    public: list[Line] = field(default_factory=list)
    private: dict[int, list[Line]] = field(default_factory=dict)

    @classmethod
    def of(cls, lines: Sequence[Line]) -> Board:
        board = cls()
        for line in lines:
            if line[5]:
                board.public.append(line)
            else:
                board.private.setdefault(line[4], []).append(line)
        return board

    def page(self, user_id: int, page: int, per_page: int) -> tuple[list[LeaderboardRow], int]:
        """``(rows, total)`` of what ``user_id`` sees: public teams and their own."""
        mine = self.private.get(user_id)
        lines = self.public if not mine else list(heapq.merge(self.public, mine, key=_sort_key))
        start = (page - 1) * per_page
        rows = [
            _row(start + i + 1, line, user_id)
            for i, line in enumerate(lines[start : start + per_page])
        ]
        return rows, len(lines)


def _row(rank: int, line: Line, user_id: int) -> LeaderboardRow:
    (
        team_id,
        team_name,
        league_id,
        league_name,
        owner,
        _,
        points,
        league_points,
        races,
        best,
        adj,
    ) = line
    return {
        "rank": rank,
        "team_id": team_id,
        "team_name": team_name,
        "league_id": league_id,
        "league_name": league_name,
        "user_id": owner,
        "mine": owner == user_id,
        "points": points,
        "races": races,
        "best_race_points": best,
        "scoring": "default_equivalent" if adj else "default",
        "league_points": league_points,
    }


def _adjusted(settings: Any) -> bool:
    """True when a league scores differently from the defaults."""
    if isinstance(settings, str):
        settings = json.loads(settings or "{}")
    parsed = LeagueSettings.from_stored(settings or {})
    return bool(parsed.scoring) or parsed.captain_multiplier != DEFAULT_CAPTAIN_MULTIPLIER


async def build(scope: Literal["season", "race"], value: int) -> list[Line]:
    """Every scored team's line of the season (or race) ``value``, best first."""
    found = await queries.board_rows(scope, value, _adjusted)
    rows, totals, teams = found.scores, found.totals, found.teams
    scores = [
        RaceScore(
            team_id=r["team"],
            race_id=r["race"],
            points=Decimal(r["points"]),
            drivers=tuple(int(d["driver_id"]) for d in json.loads(r["drivers"] or "[]")),
            captain=r["captain_driver"],
        )
        for r in rows
    ]
    entries = season_entries(scores, {s.team_id for s in scores}, found.default_points)
    entries += [
        Entry(r["team"], float(r["points"]), float(r["points"]), r["races"], float(r["best"]),
              adjusted=False)
        for r in totals
    ]  # fmt: skip
    lines: list[Line] = []
    for e in ranked(entries):
        t = teams.get(e.team_id)
        if t is None:  # deleted meanwhile
            continue
        lines.append(
            (e.team_id, t["name"], t["league_id"], t["league_name"], t["user_id"],
             not t["is_private"], e.points, e.league_points, e.races, e.best, e.adjusted)
        )  # fmt: skip
    return lines


_memo: OrderedDict[str, tuple[float, Board]] = OrderedDict()


async def _board(rt: Runtime, kind: str, compute: Callable[[], Awaitable[list[Line]]]) -> Board:
    """The board ``kind`` (e.g. ``season:2026``) at the current results version: from this
    process's memory, else Redis, else built. Redis trouble never fails a read: the board
    is then built and served uncached (logged)."""
    try:
        key = f"draftroom:leaderboard:{kind}:{await _version(rt)}"
    except Exception:
        log.warning("leaderboard cache unavailable; building %s uncached", kind, exc_info=True)
        return Board.of(await compute())
    hit = _memo.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < TTL_S:
        return hit[1]
    raw = await _redis_get(rt, key)
    if raw:
        lines = [tuple(line) for line in json.loads(raw)]
    else:
        lines = await compute()
        try:
            await rt.redis.set(key, json.dumps(lines), ex=TTL_S)
        except Exception:
            log.warning("could not cache %s", key, exc_info=True)
    board = Board.of(lines)
    _memo[key] = (now, board)
    while len(_memo) > _MEMO_SIZE:
        _memo.popitem(last=False)
    return board


async def _redis_get(rt: Runtime, key: str) -> bytes | str | None:
    try:
        raw: bytes | str | None = await rt.redis.get(key)
    except Exception:
        log.warning("leaderboard cache unavailable for %s", key, exc_info=True)
        return None
    return raw


async def _version(rt: Runtime) -> str:
    """``{epoch}:{results revision counter}`` in one round trip. The epoch is a random
    token kept in Redis: should Redis lose its data (and the counter restart at 0), the
    boards this process holds in memory are not mistaken for current ones."""
    pipe = rt.redis.pipeline(transaction=False)
    pipe.set(_EPOCH_KEY, uuid.uuid4().hex, nx=True)
    pipe.get(_EPOCH_KEY)
    pipe.get(results_cache.RESULTS_REV_KEY)
    _, epoch, rev = await pipe.execute()
    return f"{epoch}:{int(rev or 0)}"


async def season_board(
    rt: Runtime, season: int, user_id: int, page: int, per_page: int
) -> tuple[list[LeaderboardRow], int]:
    """One page of the season leaderboard as ``user_id`` sees it, and the total."""
    board = await _board(rt, f"season:{season}", lambda: build("season", season))
    return board.page(user_id, page, per_page)


async def race_board(
    rt: Runtime, race_id: int, user_id: int, page: int, per_page: int
) -> tuple[list[LeaderboardRow], int]:
    """One page of a race's leaderboard (that race's scores); NotFound for no such race."""
    if not await reference_queries.race_exists(race_id):
        raise NotFound("No such race.", details={"race_id": race_id})
    board = await _board(rt, f"race:{race_id}", lambda: build("race", race_id))
    return board.page(user_id, page, per_page)

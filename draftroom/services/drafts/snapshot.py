"""Read side of drafts: the SPEC snapshot, the current draft of a league, the event log.

These functions do not check permissions: callers (REST routes, the league namespace)
check the user may watch the league first (see :mod:`draftroom.services.drafts.access`).
"""

from __future__ import annotations

import logging
from typing import Any, cast

from draftroom.contracts.drafts import (
    Current,
    DraftEventOut,
    DraftSnapshot,
    DraftStatus,
    DraftSummary,
    DraftType,
    PickOut,
    QuietHours,
    RaceRef,
)
from draftroom.coordination import presence
from draftroom.db.queries import drafts as queries
from draftroom.db.queries.drafts import Loaded
from draftroom.domain.draft_state import Pick
from draftroom.errors import NotFound
from draftroom.services.drafts.commit import now_ms
from draftroom.services.drafts.events import event_dict
from draftroom.services.drafts.live import LiveDrafts
from draftroom.services.notifier import league_namespace
from draftroom.services.runtime import Runtime
from draftroom.timestamps import iso_utc

log = logging.getLogger(__name__)

MAX_REPLAY = 1000
"""``events_after`` answers None (send the state instead) beyond this many events."""


async def draft_league_id(rt: Runtime, draft_id: int) -> int:
    """The league of a draft; NotFound when unknown (kept in ``rt.draft_leagues``: it
    never changes)."""
    cached = rt.draft_leagues.get(draft_id)
    if cached is not None:
        return cached
    league = await queries.league_of(draft_id)
    if league is None:
        raise NotFound("No such draft.", details={"draft_id": draft_id})
    rt.draft_leagues.remember(draft_id, int(league))
    return int(league)


async def online_team_ids(rt: Runtime, league_id: int) -> set[int]:
    """Teams with a connected owner (presence is Redis-backed; empty when unavailable)."""
    try:
        return set(await presence.online_team_ids(rt.redis, league_id))
    except Exception:
        log.warning("presence unavailable for league %s", league_id)
        return set()


async def _read(rt: Runtime, draft_id: int) -> tuple[Any, dict[int, Any], Any]:
    """The stored part of a snapshot, remembered by ``rt.live`` while its league is watched."""
    loaded, by_id, race = await queries.load_with_names(draft_id)
    read = (loaded, by_id, race)
    rt.live.keep_read(draft_id, loaded.league_id, loaded.state.seq, read)
    return read


async def draft_snapshot(rt: Runtime, draft_id: int, user_id: int | None = None) -> DraftSnapshot:
    """The SPEC's draft snapshot (``draft:state`` and GET /drafts/{id}).

    Extra keys: ``me`` (``{team_id, queue, autodraft}`` for the user's team, else None)
    and ``race`` (``{id, name, round, season}``).
    """
    cached = rt.live.cached_read(draft_id)
    if cached is None:
        cached = await rt.live.once(("draft", draft_id), lambda: _read(rt, draft_id))
    loaded: Loaded
    race: RaceRef | None
    loaded, by_id, race = cached
    known_online = rt.live.online(loaded.league_id)
    online = (
        known_online if known_online is not None else await online_team_ids(rt, loaded.league_id)
    )
    state = loaded.state
    now = now_ms()
    my_team = loaded.team_of(user_id) if user_id is not None else None
    return {
        "id": draft_id,
        "league_id": loaded.league_id,
        "race_id": loaded.race_id,
        "status": state.status,
        "type": state.draft_type,
        "pick_seconds": state.pick_seconds,
        "picks_per_team": state.picks_per_team,
        "quiet_hours": cast("QuietHours", state.quiet_hours.to_dict())
        if state.quiet_hours
        else None,
        "order": list(state.order),
        "teams": [
            {
                "id": team,
                "name": by_id[team]["name"] if team in by_id else f"Team {team}",
                "user_id": by_id[team]["user_id"] if team in by_id else None,
                "online": team in online,
                "autodraft": team in state.autodraft,
                "is_bot": team in loaded.bots,
            }
            for team in state.order
        ],
        "picks": [pick_out(p) for p in state.picks],
        "current": cast("Current | None", state.current(now)),  # the domain's dict, this shape
        "opens_at": state.opens_at_ms,
        "locks_at": state.locks_at_ms,
        "seq": state.seq,
        "server_now": now,
        "me": None
        if my_team is None
        else {
            "team_id": my_team,
            "queue": list(loaded.queues.get(my_team, [])),
            "autodraft": my_team in state.autodraft,
        },
        "race": race,
    }


def pick_out(pick: Pick) -> PickOut:
    """A pick as the API shows it (snapshot, REST, acks): ``{pick_no, round, team_id,
    driver_id, by, at}``; the one place of that shape (:func:`draft_picks` uses it too)."""
    return {
        "pick_no": pick.pick_no,
        "round": pick.round,
        "team_id": pick.team_id,
        "driver_id": pick.driver_id,
        "by": pick.by,
        "at": pick.at_ms,
    }


async def draft_picks(rt: Runtime, draft_id: int) -> list[PickOut]:
    """The picks of a draft in pick order (NotFound when unknown)."""
    await draft_league_id(rt, draft_id)
    return [pick_out(p) for p in await queries.picks(draft_id)]


async def current_draft_id(league_id: int, live: LiveDrafts | None = None) -> int | None:
    """The league's live or paused draft, else the next scheduled (not yet locked), else the
    last complete, else a stale scheduled one; None when the league has no draft.
    ``live`` answers from memory when it knows (and learns the answer when it does not)."""
    if live is not None:
        known, draft_id = live.current_draft(league_id)
        if known:
            return draft_id
        current: int | None = await live.once(("current", league_id), lambda: _current(league_id))
        live.keep_current(league_id, current)
        return current
    return await _current(league_id)


async def _current(league_id: int) -> int | None:
    return await queries.current_draft_id(league_id)


async def events_after(
    draft_id: int, after_seq: int, live: LiveDrafts | None = None, league_id: int = 0
) -> list[DraftEventOut] | None:
    """Every logged event with seq > ``after_seq`` as ``{seq, type, data, at}`` (``data``
    is the Socket.IO payload incl. draft_id/seq/at); None when more than MAX_REPLAY are
    missing (send the snapshot instead). NotFound for an unknown draft. ``live`` (with the
    draft's ``league_id``) answers from its ring of recent events when it holds them all."""
    if live is not None:
        recent = live.events_after(draft_id, league_id, int(after_seq))
        if recent is not None:
            return cast("list[DraftEventOut]", recent)
        key = ("events", draft_id, int(after_seq))
        found: list[DraftEventOut] | None = await live.once(
            key, lambda: _logged_after(draft_id, after_seq)
        )
        return found
    return await _logged_after(draft_id, after_seq)


async def _logged_after(draft_id: int, after_seq: int) -> list[DraftEventOut] | None:
    seq = await queries.seq_of(draft_id)
    if seq is None:
        raise NotFound("No such draft.", details={"draft_id": draft_id})
    after = max(0, int(after_seq))
    if seq - after > MAX_REPLAY:
        return None
    events = await queries.fetch_events(draft_id, after, MAX_REPLAY)
    return [event_dict(draft_id, e) for e in events]


async def events_page(
    rt: Runtime, draft_id: int, after_seq: int, limit: int = MAX_REPLAY
) -> list[DraftEventOut]:
    """Up to ``limit`` logged events with seq > ``after_seq`` (NotFound for an unknown draft)."""
    await draft_league_id(rt, draft_id)
    events = await queries.fetch_events(draft_id, max(0, int(after_seq)), limit)
    return [event_dict(draft_id, e) for e in events]


async def list_drafts(league_id: int) -> list[DraftSummary]:
    """The league's drafts, newest first (summaries)."""
    return [
        {
            "id": r.id,
            "league_id": league_id,
            "race_id": r.race_id,
            "race_name": r.race_name,
            "race_round": r.race_round,
            "status": cast("DraftStatus", r.status),
            "type": cast("DraftType", r.draft_type),
            "pick_seconds": r.pick_seconds,
            "picks_per_team": r.picks_per_team,
            "order": r.order,
            "picks_made": r.picks_made,
            "seq": r.seq,
            "opens_at": iso_utc(r.opens_at),
            "locks_at": iso_utc(r.locks_at),
            "started_at": iso_utc(r.started_at),
            "completed_at": iso_utc(r.completed_at),
            "created_at": iso_utc(r.created_at),
        }
        for r in await queries.league_drafts(league_id)
    ]


async def announce_state(rt: Runtime, league_id: int, draft_id: int) -> None:
    """Send a draft's snapshot to its league room as ``draft:state`` (not a draft event: no
    seq), for a new draft or one whose times moved; best effort (logged)."""
    try:
        state = await draft_snapshot(rt, draft_id)
        state.pop("me", None)
        await rt.notifier.emit("draft:state", state, namespace=league_namespace(league_id))
    except Exception:
        log.exception("could not announce draft %s", draft_id)

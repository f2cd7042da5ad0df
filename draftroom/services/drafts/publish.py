"""After a draft commit: broadcast its events, wake the runner, tell the people concerned.

Everything here runs after COMMIT and is best effort: the event log is already complete,
so a client that misses a broadcast fills the gap with ``sync``.
"""

from __future__ import annotations

import logging
from typing import Any

from draftroom.domain.draft import Event, Transition
from draftroom.runtime import Runtime
from draftroom.services import notifications
from draftroom.services.drafts.store import Loaded, payload
from draftroom.services.notifier import league_namespace, user_room

log = logging.getLogger(__name__)

WAKE_CHANNEL = "draftroom:wake"
"""Redis pub/sub channel: a draft id published here makes its runner re-read the draft."""


async def wake(rt: Runtime, draft_id: int) -> None:
    """Tell the owner of ``draft_id`` (in any process) to recompute its timer now."""
    try:
        await rt.redis.publish(WAKE_CHANNEL, str(draft_id))
    except Exception:  # the supervisor's periodic scan catches up
        log.warning("could not publish wake-up for draft %s", draft_id)


async def emit_events(
    rt: Runtime, league_id: int, draft_id: int, events: tuple[Event, ...]
) -> None:
    """Broadcast draft events to the league namespace, in seq order."""
    namespace = league_namespace(league_id)
    for event in events:
        try:
            await rt.notifier.emit(event.type, payload(draft_id, event), namespace=namespace)
        except Exception:
            log.exception("could not broadcast %s of draft %s", event.type, draft_id)


async def emit_queue(rt: Runtime, league_id: int, user_id: int, body: dict[str, Any]) -> None:
    """Send ``queue`` ``{draft_id, driver_ids, autodraft}`` to one owner's sockets."""
    try:
        await rt.notifier.emit(
            "queue", body, namespace=league_namespace(league_id), room=user_room(user_id)
        )
    except Exception:
        log.exception("could not send queue to user %s", user_id)


async def publish(rt: Runtime, before: Loaded, tr: Transition) -> None:
    """Broadcast, wake the runner, then send notices and notifications."""
    draft_id, league_id = before.draft_id, before.league_id
    await emit_events(rt, league_id, draft_id, tr.events)
    await wake(rt, draft_id)
    for notice in tr.notices:
        if notice.type != "autodraft":
            continue
        team = int(notice.data["team_id"])
        owner = before.owners.get(team)
        if owner is None:
            continue
        body = {
            "draft_id": draft_id,
            "driver_ids": list(before.queues.get(team, [])),
            "autodraft": bool(notice.data["enabled"]),
        }
        await emit_queue(rt, league_id, owner, body)
        if notice.data.get("reason") == "timeouts" and team not in before.bots:
            await _notify(
                rt, owner, "autopicked", "Autodraft is on",
                "Your clock ran out twice, so autodraft picks for you now. "
                "You can switch it off in the draft room.",
                {"draft_id": draft_id, "league_id": league_id, "team_id": team},
                f"autodraft_on:{draft_id}:{team}:{tr.state.seq}",
            )  # fmt: skip
    await _notify_events(rt, before, tr)


async def _notify_events(rt: Runtime, before: Loaded, tr: Transition) -> None:
    draft_id, league_id = before.draft_id, before.league_id
    data = {"draft_id": draft_id, "league_id": league_id, "race_id": before.race_id}
    items: list[notifications.NewNotification] = []
    if any(e.type == "draft:started" for e in tr.events):
        for team, owner in before.owners.items():
            if team not in before.bots:
                items.append(
                    notifications.NewNotification(
                        owner, "draft_opened", "Your draft is open",
                        "The draft room is live: join now to make your picks.",
                        data, f"draft_opened:{draft_id}:{owner}",
                    )
                )  # fmt: skip
    turns = [e for e in tr.events if e.type == "draft:turn"]
    state = tr.state
    if turns and state.status == "live":
        last = turns[-1]
        turn_team = int(last.data["team_id"])
        turn_owner = before.owners.get(turn_team)
        if (
            turn_owner is not None
            and turn_team not in before.bots
            and turn_team not in state.autodraft
        ):
            items.append(
                notifications.NewNotification(
                    turn_owner, "on_the_clock", "You are on the clock",
                    f"Pick {last.data['pick_no']} is yours.",
                    {**data, "team_id": turn_team, "pick_no": last.data["pick_no"],
                     "deadline": last.data["deadline"]},
                    f"on_the_clock:{draft_id}:{last.seq}",
                )
            )  # fmt: skip
    if items:
        try:
            await notifications.notify_many(rt, items)
        except Exception:
            log.exception("could not store notifications of draft %s", draft_id)


async def _notify(
    rt: Runtime, user_id: int, kind: str, title: str, body: str, data: dict[str, Any], key: str
) -> None:
    try:
        await notifications.notify(rt, user_id, kind, title, body, data, dedupe_key=key)
    except Exception:
        log.exception("could not notify user %s", user_id)

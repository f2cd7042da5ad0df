"""After a draft commit: broadcast its events, wake the runner, tell the people concerned.

:func:`notifications_for` says which notifications a transition causes; the commit stores
them in its own transaction. :func:`publish` runs after COMMIT and is best effort: the
event log and the notifications are already stored, so a client that misses a broadcast
fills the gap with ``sync`` (or the notification list).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from draftroom.domain.draft import Event, Transition
from draftroom.runtime import Runtime
from draftroom.services import notifications
from draftroom.services.drafts.store import Loaded, payload
from draftroom.services.drafts.wakeups import DraftClock, wake
from draftroom.services.notifications import NewNotification
from draftroom.services.notifier import league_namespace, user_room

log = logging.getLogger(__name__)


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


async def publish(
    rt: Runtime,
    before: Loaded,
    tr: Transition,
    now_ms: int,
    stored: Sequence[dict[str, Any]] = (),
) -> None:
    """Broadcast, wake the runner with the new clock, send queue changes, then push the
    notifications the commit ``stored`` (see :func:`notifications_for`)."""
    draft_id, league_id = before.draft_id, before.league_id
    await emit_events(rt, league_id, draft_id, tr.events)
    await wake(rt, draft_id, DraftClock.of(tr.state, now_ms))
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
    await notifications.push(rt, stored)


def notifications_for(before: Loaded, tr: Transition) -> list[NewNotification]:
    """The notifications a transition causes, to store in its commit's transaction:
    ``draft_opened`` to every human owner, ``on_the_clock`` to the human owner now on the
    clock (not on autodraft), ``autopicked`` when two timeouts switch autodraft on."""
    draft_id, league_id = before.draft_id, before.league_id
    data = {"draft_id": draft_id, "league_id": league_id, "race_id": before.race_id}
    items: list[NewNotification] = []
    for notice in tr.notices:
        team = int(notice.data.get("team_id", 0))
        owner = before.owners.get(team)
        if (
            notice.type == "autodraft"
            and notice.data.get("reason") == "timeouts"
            and owner is not None
            and team not in before.bots
        ):
            items.append(
                NewNotification(
                    owner, "autopicked", "Autodraft is on",
                    "Your clock ran out twice, so autodraft picks for you now. "
                    "You can switch it off in the draft room.",
                    {"draft_id": draft_id, "league_id": league_id, "team_id": team},
                    f"autodraft_on:{draft_id}:{team}:{tr.state.seq}",
                )
            )  # fmt: skip
    if any(e.type == "draft:started" for e in tr.events):
        for team, owner in before.owners.items():
            if team not in before.bots:
                items.append(
                    NewNotification(
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
                NewNotification(
                    turn_owner, "on_the_clock", "You are on the clock",
                    f"Pick {last.data['pick_no']} is yours.",
                    {**data, "team_id": turn_team, "pick_no": last.data["pick_no"],
                     "deadline": last.data["deadline"]},
                    f"on_the_clock:{draft_id}:{last.seq}",
                )
            )  # fmt: skip
    return items

"""After a draft commit: one broadcast with its events, the runner's wake-up, queue
changes and the live pushes of the notifications it stored.

:func:`notifications_for` says which notifications a transition causes; the commit stores
them in its own transaction. :func:`publish` runs after COMMIT and is best effort: the
event log and the notifications are already stored, so a client that misses a broadcast
fills the gap with ``sync`` (or the notification list).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from draftroom.contracts.drafts import QueueOut
from draftroom.db.queries.drafts import Loaded
from draftroom.domain.draft import Event, Transition
from draftroom.domain.league_settings import SLOW_CLOCK_S
from draftroom.domain.order import team_for_pick
from draftroom.services.drafts.events import payload
from draftroom.services.drafts.wakeups import DraftClock
from draftroom.services.notifications import NewNotification, pushes, titled
from draftroom.services.notifier import Broadcast, Emit, league_namespace, user_room
from draftroom.services.runtime import Runtime

log = logging.getLogger(__name__)


def event_emits(draft_id: int, events: Sequence[Event]) -> tuple[Emit, ...]:
    """Draft events as Socket.IO emits to the whole room, in seq order."""
    return tuple(Emit(event.type, payload(draft_id, event)) for event in events)


def queue_emit(user_id: int, body: QueueOut) -> Emit:
    """``queue`` ``{draft_id, driver_ids, autodraft}`` to one owner's sockets."""
    return Emit("queue", body, user_room(user_id))


async def send(rt: Runtime, broadcast: Broadcast) -> None:
    """Publish a broadcast; a failure is logged, never raised (the log has it all)."""
    try:
        await rt.notifier.publish(broadcast)
    except Exception:
        log.exception("could not broadcast to %s", broadcast.namespace)


def broadcast_of(
    before: Loaded, tr: Transition, now_ms: int, stored: Sequence[dict[str, Any]] = ()
) -> Broadcast:
    """Everything a commit sends: its events, the runner's new clock, autodraft changes
    to the owners' sockets, and the stored notifications' live pushes."""
    draft_id = before.draft_id
    emits = list(event_emits(draft_id, tr.events))
    for notice in tr.notices:
        if notice.type != "autodraft":
            continue
        team = int(notice.data["team_id"])
        owner = before.owners.get(team)
        if owner is None:
            continue
        body: QueueOut = {
            "draft_id": draft_id,
            "driver_ids": list(before.queues.get(team, [])),
            "autodraft": bool(notice.data["enabled"]),
        }
        emits.append(queue_emit(owner, body))
    return Broadcast(
        league_namespace(before.league_id),
        tuple(emits),
        DraftClock.of(tr.state, now_ms).wake(draft_id),
        pushes(stored),
    )


async def publish(
    rt: Runtime,
    before: Loaded,
    tr: Transition,
    now_ms: int,
    stored: Sequence[dict[str, Any]] = (),
) -> None:
    """Send a commit's broadcast (:func:`broadcast_of`) in one round trip."""
    await send(rt, broadcast_of(before, tr, now_ms, stored))


def _moved_body(data: dict[str, Any]) -> str:
    when = datetime.fromtimestamp(int(data["locks_at"]) / 1000, UTC).strftime("%d %b %H:%M UTC")
    return f"The race weekend's sessions moved: the draft now locks at {when}."


MEMBER_NOTICES: dict[str, tuple[str, str, Callable[[dict[str, Any]], str]]] = {
    "draft:rescheduled": ("draft_moved", "Your draft moved", _moved_body),
    "draft:cancelled": (
        "draft_cancelled",
        "Your draft was cancelled",
        lambda data: "This race's draft was cancelled; it counts for nothing.",
    ),
}
"""Draft events every human owner is told about: event type -> (kind, title, body)."""


def notifications_for(
    before: Loaded, tr: Transition, in_room: Collection[int] = ()
) -> list[NewNotification]:
    """The notifications a transition causes, to store in its commit's transaction.

    ``draft_opened`` (once per draft) to every human owner and ``on_the_clock`` to the
    human owner now on the clock (not on autodraft), unless the owner's team is ``in_room``
    (they see it there); ``autopicked`` when two timeouts switch autodraft on;
    ``draft_moved`` and ``draft_cancelled`` to every human owner (:data:`MEMBER_NOTICES`).
    Titles name the league; nobody in a demo league is notified."""
    if before.is_demo:
        return []
    draft_id, league_id = before.draft_id, before.league_id
    league = before.league_name
    data = {"draft_id": draft_id, "league_id": league_id, "race_id": before.race_id,
            "league_name": league}  # fmt: skip
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
                    owner, "autopicked", titled("Autodraft is on", league),
                    "Your clock ran out twice, so autodraft picks for you now. "
                    "You can switch it off in the draft room.",
                    {**data, "team_id": team},
                    f"autodraft_on:{draft_id}:{team}:{tr.state.seq}",
                )
            )  # fmt: skip
    if any(e.type == "draft:started" for e in tr.events):
        for team, owner in before.owners.items():
            if team not in before.bots and team not in in_room:
                items.append(
                    NewNotification(
                        owner, "draft_opened", titled("Your draft is open", league),
                        "The draft room is live: join now to make your picks.",
                        data, f"draft_opened:{draft_id}:{owner}",
                    )
                )  # fmt: skip
    for event in tr.events:
        if event.type in MEMBER_NOTICES:
            kind, title, body = MEMBER_NOTICES[event.type]
            for team, owner in before.owners.items():
                if team not in before.bots:
                    items.append(
                        NewNotification(
                            owner, kind, titled(title, league), body(event.data), data,
                            f"{kind}:{draft_id}:{owner}:{event.seq}",
                        )
                    )  # fmt: skip
    items += _turn_notices(before, tr, in_room, data)
    return items


def _turn_notices(
    before: Loaded, tr: Transition, in_room: Collection[int], data: dict[str, Any]
) -> list[NewNotification]:
    """``on_the_clock`` to the human owner now on the clock (not on autodraft, not in the
    room). In a slow draft (clock over SLOW_CLOCK_S, unless the league switched
    ``slow_draft_notifications`` off): once per pick even when in the room, and
    ``on_deck`` to the owner whose next pick is two picks away."""
    turns = [e for e in tr.events if e.type == "draft:turn"]
    state = tr.state
    if not turns or state.status != "live":
        return []
    draft_id = before.draft_id
    last = turns[-1]
    pick_no = int(last.data["pick_no"])
    slow = state.pick_seconds > SLOW_CLOCK_S
    if slow and not before.slow_notices:
        return []

    def human(team: int) -> int | None:
        owner = before.owners.get(team)
        if owner is None or team in before.bots or team in state.autodraft:
            return None
        return owner

    items: list[NewNotification] = []
    turn_team = int(last.data["team_id"])
    turn_owner = human(turn_team)
    if turn_owner is not None and (slow or turn_team not in in_room):
        key = (
            f"on_the_clock:{draft_id}:p{pick_no}:{turn_team}"
            if slow
            else (f"on_the_clock:{draft_id}:{last.seq}")
        )
        items.append(
            NewNotification(
                turn_owner, "on_the_clock", titled("You are on the clock", before.league_name),
                f"Pick {pick_no} is yours.",
                {**data, "team_id": turn_team, "pick_no": pick_no,
                 "deadline": last.data["deadline"]},
                key,
            )
        )  # fmt: skip
    deck_no = pick_no + 2
    if slow and deck_no <= state.total_picks:
        deck_team = team_for_pick(state.order, deck_no, state.draft_type)
        sooner = {team_for_pick(state.order, n, state.draft_type) for n in (pick_no, pick_no + 1)}
        deck_owner = human(deck_team)
        if deck_owner is not None and deck_team not in sooner:
            items.append(
                NewNotification(
                    deck_owner, "on_deck", titled("You are on deck", before.league_name),
                    f"Two picks to go: pick {deck_no} is yours.",
                    {**data, "team_id": deck_team, "pick_no": deck_no},
                    f"on_deck:{draft_id}:p{deck_no}:{deck_team}",
                )
            )  # fmt: skip
    return items

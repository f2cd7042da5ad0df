"""Draft use cases shared by REST and Socket.IO: same rules, same errors, same events.

Every command takes plain ids, checks the user's role under the draft's row lock, applies
a pure transition through :func:`draftroom.services.drafts.commit.commit` (one
transaction, then the broadcast) and returns a small JSON-ready dict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from draftroom.contracts.drafts import ControlDone, Current, PickMade, QueueOut
from draftroom.db.engine import transaction
from draftroom.db.queries import drafts as queries
from draftroom.db.queries.drafts import Loaded
from draftroom.domain import draft
from draftroom.domain.draft import Transition
from draftroom.errors import DraftNotLive, DriverUnknown
from draftroom.services.drafts.access import Denied, refusal
from draftroom.services.drafts.captains import set_captain
from draftroom.services.drafts.commit import Committed, commit, now_ms
from draftroom.services.drafts.publish import queue_emit, send
from draftroom.services.drafts.snapshot import draft_league_id, pick_out
from draftroom.services.notifier import Broadcast, league_namespace
from draftroom.services.runtime import Runtime

__all__ = [
    "force_pick", "make_pick", "pause_draft", "resume_draft", "set_autodraft", "set_captain",
    "set_queue", "start_draft", "undo_pick",
]  # fmt: skip


async def _run(
    rt: Runtime, draft_id: int, user_id: int, action: Callable[[Loaded, int], Transition]
) -> Committed:
    try:
        return await commit(rt, draft_id, action)
    except Denied as denied:
        league_id = await draft_league_id(rt, draft_id)
        raise await refusal(league_id, user_id, denied.message) from None


def _commissioner(loaded: Loaded, user_id: int) -> None:
    if loaded.commissioner_id != user_id:
        raise Denied("Only the commissioner can do that.")


def _owner_team(loaded: Loaded, user_id: int) -> int:
    team = loaded.team_of(user_id)
    if team is None:
        raise Denied("You have no team in this draft.")
    return team


def _entered(loaded: Loaded, driver_id: int) -> None:
    """Refuse a driver replaced or withdrawn for the draft's race, saying so."""
    if driver_id in loaded.out_of_race:
        raise DriverUnknown(
            "That driver is not entered in this race: he was replaced or withdrawn.",
            details={"driver_id": driver_id},
        )


def _summary(done: Committed) -> ControlDone:
    state = done.transition.state
    return {
        "draft_id": done.before.draft_id,
        "status": state.status,
        "seq": state.seq,
        "current": cast("Current | None", state.current(now_ms())),  # the domain's dict
    }


def _pick_ack(done: Committed) -> PickMade:
    pick = done.transition.state.picks[len(done.before.state.picks)]
    return {"draft_id": done.before.draft_id, **pick_out(pick), "seq": done.transition.state.seq}


async def make_pick(
    rt: Runtime, draft_id: int, user_id: int, pick_no: int, driver_id: int
) -> PickMade:
    """The owner of the team on the clock picks (by="user"). Anyone else is refused
    (``not_your_turn``, or ``forbidden`` without a team), the commissioner included: he
    picks for another team with :func:`force_pick`. The same rule on both transports."""

    def action(loaded: Loaded, now: int) -> Transition:
        _entered(loaded, driver_id)
        team = _owner_team(loaded, user_id)
        # the domain answers in the SPEC's order (a stale pick_no is pick_taken before
        # not_your_turn)
        return draft.make_pick(
            loaded.state, team_id=team, pick_no=pick_no, driver_id=driver_id, now_ms=now
        )

    return _pick_ack(await _run(rt, draft_id, user_id, action))


async def force_pick(
    rt: Runtime, draft_id: int, user_id: int, pick_no: int, driver_id: int
) -> PickMade:
    """The commissioner picks for the team on the clock (by="commissioner")."""

    def action(loaded: Loaded, now: int) -> Transition:
        _commissioner(loaded, user_id)
        _entered(loaded, driver_id)
        return draft.force_pick(loaded.state, pick_no=pick_no, driver_id=driver_id, now_ms=now)

    return _pick_ack(await _run(rt, draft_id, user_id, action))


async def _control(
    rt: Runtime, draft_id: int, user_id: int, step: Callable[..., Transition]
) -> ControlDone:
    def action(loaded: Loaded, now: int) -> Transition:
        _commissioner(loaded, user_id)
        return step(loaded.state, now_ms=now)

    return _summary(await _run(rt, draft_id, user_id, action))


async def start_draft(rt: Runtime, draft_id: int, user_id: int) -> ControlDone:
    """Commissioner: start a scheduled draft now."""
    return await _control(rt, draft_id, user_id, draft.start)


async def pause_draft(rt: Runtime, draft_id: int, user_id: int) -> ControlDone:
    """Commissioner: pause a live draft (the clock is frozen, remaining time kept)."""
    return await _control(rt, draft_id, user_id, draft.pause)


async def resume_draft(rt: Runtime, draft_id: int, user_id: int) -> ControlDone:
    """Commissioner: resume a paused draft (remaining time, at least 10 s)."""
    return await _control(rt, draft_id, user_id, draft.resume)


async def undo_pick(rt: Runtime, draft_id: int, user_id: int) -> ControlDone:
    """Commissioner: take back the last pick (that team is back on a full clock)."""
    return await _control(rt, draft_id, user_id, draft.undo)


async def cancel_draft(rt: Runtime, draft_id: int, user_id: int) -> ControlDone:
    """Commissioner: cancel a draft that is not complete."""
    return await _control(rt, draft_id, user_id, draft.cancel)


async def set_autodraft(rt: Runtime, draft_id: int, user_id: int, enabled: bool) -> QueueOut:
    """Team owner: switch autodraft; emits ``queue`` to the owner when it changed."""

    def action(loaded: Loaded, now: int) -> Transition:
        team = _owner_team(loaded, user_id)
        return draft.set_autodraft(loaded.state, team_id=team, enabled=enabled, now_ms=now)

    done = await _run(rt, draft_id, user_id, action)
    team = done.before.team_of(user_id)
    assert team is not None
    return {
        "draft_id": draft_id,
        "driver_ids": list(done.before.queues.get(team, [])),
        "autodraft": team in done.transition.state.autodraft,
    }


async def set_queue(
    rt: Runtime, draft_id: int, user_id: int, driver_ids: Sequence[int]
) -> QueueOut:
    """Team owner: replace the queue with pool drivers; emits ``queue``.

    ``driver_ids`` is a validated :class:`draftroom.payloads.QueueBody` list (at most
    ``MAX_QUEUE``, no driver twice): both transports parse it before calling.

    Why not :func:`commit`: a queue is the owner's private preference, not draft state. It
    changes no :class:`~draftroom.domain.draft_state.DraftState`, logs no event (``queue``
    has no ``seq``) and notifies no one but the owner, so there is no transition to apply,
    persist or publish. It takes the same row lock as a commit, so a queue and an autopick
    that reads it never interleave."""
    queue = list(driver_ids)
    try:
        async with transaction() as conn:
            loaded = await queries.load(conn, draft_id, for_update=True)
            team = _owner_team(loaded, user_id)
            if loaded.state.status not in ("scheduled", "live", "paused"):
                raise DraftNotLive(details={"status": loaded.state.status})
            unknown = [d for d in queue if d not in loaded.state.pool]
            if unknown:
                out = [d for d in unknown if d in loaded.out_of_race]
                message = (
                    "Some drivers are not entered in this race (replaced or withdrawn)."
                    if out
                    else None
                )
                raise DriverUnknown(message, details={"driver_ids": unknown})
            await queries.save_queue(conn, draft_id, team, queue)
    except Denied as denied:
        raise await refusal(await draft_league_id(rt, draft_id), user_id, denied.message) from None
    body: QueueOut = {
        "draft_id": draft_id,
        "driver_ids": queue,
        "autodraft": team in loaded.state.autodraft,
    }
    await send(rt, Broadcast(league_namespace(loaded.league_id), (queue_emit(user_id, body),)))
    return body

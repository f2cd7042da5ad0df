"""Client events of a league namespace: validate, check, call the draft service, ack.

:data:`EVENTS` is the one registry of the SPEC's client events: each handler below is
declared with :func:`on` next to its payload model (:mod:`draftroom.payloads`, shared with
REST). :meth:`Actions.dispatch` runs, in order: the event name is known, the payload is
valid, the session's token is still valid (a revoked or expired token is answered
``unauthorized`` and the socket dropped), spectators only ``sync``, the draft belongs to
this namespace's league (else ``not_found``), then the handler. Errors of
:mod:`draftroom.errors` become ``{"ok": false, "error"}``.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from draftroom import payloads
from draftroom.contracts.chat import ChatDeletedOut, ChatSent
from draftroom.contracts.drafts import (
    CaptainOut,
    ControlDone,
    DraftSnapshot,
    PickMade,
    QueueOut,
    SyncEvents,
    SyncState,
)
from draftroom.errors import (
    DraftroomError,
    Forbidden,
    NotFound,
    RateLimited,
    Unauthorized,
    ValidationFailed,
)
from draftroom.payloads import (
    AutodraftIn,
    CaptainIn,
    ChatDeleteIn,
    ChatIn,
    DraftRef,
    Payload,
    PickIn,
    QueueIn,
    SyncIn,
)
from draftroom.realtime.socket_budget import SocketBudget
from draftroom.services import chat
from draftroom.services.drafts import commands, snapshot
from draftroom.services.runtime import Runtime
from draftroom.services.tokens import verify_access_token

log = logging.getLogger("draftroom.realtime.league")

Ack = dict[str, Any]
Session = dict[str, Any]
Dropper = Callable[[str, str], Awaitable[None]]
P = TypeVar("P", bound=Payload)
Handler = Callable[["Actions", Session, P], Awaitable[Ack]]


@dataclass(frozen=True)
class Event:
    """One client event: its payload model, its handler, the type of its ack's result (the
    ack is that plus ``ok: true``, or ``{ok: false, error}``), and whether a spectator may
    send it (only ``sync``)."""

    model: type[Payload]
    handler: Handler[Any]
    result: Any
    spectators: bool = False


EVENTS: dict[str, Event] = {}
"""name -> (model, handler): filled by :func:`on`, once per event."""


def on(
    name: str, model: type[P], result: Any, *, spectators: bool = False
) -> Callable[[Handler[P]], Handler[P]]:
    """Register the decorated method as the handler of client event ``name``, whose ack
    carries a ``result`` (a contract type)."""

    def register(handler: Handler[P]) -> Handler[P]:
        if name in EVENTS:
            raise ValueError(f"client event {name!r} declared twice")
        EVENTS[name] = Event(model, handler, result, spectators)
        return handler

    return register


def failure(error: DraftroomError) -> Ack:
    """The ack of a refused event."""
    return {"ok": False, "error": error.to_dict()}


def success(result: Mapping[str, Any] | None = None) -> Ack:
    """The ack of an event that succeeded: the service's result plus ``ok``."""
    return {**(result or {}), "ok": True}


def rate_limited(limiter: SocketBudget, sid: str) -> RateLimited:
    """The error of a socket over its event budget."""
    retry = limiter.retry_after(sid)
    return RateLimited(
        "Too many events; slow down.",
        retry_after=max(1, int(retry + 0.999)),
        details={"retry_after_ms": int(retry * 1000) + 1},
    )


class Actions:
    """The handlers of the SPEC's client events, shared by every league namespace."""

    def __init__(self, rt: Runtime, drop: Dropper) -> None:
        self.rt = rt
        self.drop = drop

    async def current_state(self, league_id: int, user_id: int) -> DraftSnapshot | None:
        """The ``draft:state`` payload of a league (None without any draft)."""
        draft_id = await snapshot.current_draft_id(league_id, self.rt.live)
        if draft_id is None:
            return None
        return await snapshot.draft_snapshot(self.rt, draft_id, user_id)

    async def dispatch(
        self, event: str, namespace: str, sid: str, session: dict[str, Any], args: tuple[Any, ...]
    ) -> Ack:
        """Answer one client event (see the module docstring for the order of checks)."""
        try:
            if "user_id" not in session:
                raise Unauthorized("This socket is not connected to the league.")
            registered = EVENTS.get(event)
            if registered is None:
                raise ValidationFailed(f"Unknown event {event[:40]!r}.")
            payload = payloads.parse(registered.model, args[0] if args else None)
            if not session.get("anonymous"):  # an anonymous watcher has no token (sync only)
                try:
                    await verify_access_token(
                        self.rt.settings, self.rt.redis, session["token"], self.rt.revocations
                    )
                except Unauthorized:
                    await self.drop(namespace, sid)
                    raise
            if session["role"] == "spectator" and not registered.spectators:
                raise Forbidden("Spectators watch; they cannot act in the draft.")
            draft_id = getattr(payload, "draft_id", None)
            if draft_id is not None:
                await self._check_league(draft_id, session["league_id"])
            return await registered.handler(self, session, payload)
        except DraftroomError as error:
            return failure(error)

    async def _check_league(self, draft_id: int, league_id: int) -> None:
        """NotFound unless ``draft_id`` is a draft of ``league_id`` (the service caches)."""
        if await snapshot.draft_league_id(self.rt, draft_id) != league_id:
            raise NotFound("No such draft in this league.")

    # --- the events ------------------------------------------------------------------

    @on("pick", PickIn, PickMade)
    async def _pick(self, session: Session, p: PickIn) -> Ack:
        return success(
            await commands.make_pick(
                self.rt, p.draft_id, session["user_id"], p.pick_no, p.driver_id
            )
        )

    @on("draft:force_pick", PickIn, PickMade)
    async def _force_pick(self, session: Session, p: PickIn) -> Ack:
        return success(
            await commands.force_pick(
                self.rt, p.draft_id, session["user_id"], p.pick_no, p.driver_id
            )
        )

    @on("queue:set", QueueIn, QueueOut)
    async def _queue(self, session: Session, p: QueueIn) -> Ack:
        return success(
            await commands.set_queue(self.rt, p.draft_id, session["user_id"], list(p.driver_ids))
        )

    @on("autodraft:set", AutodraftIn, QueueOut)
    async def _autodraft(self, session: Session, p: AutodraftIn) -> Ack:
        return success(
            await commands.set_autodraft(self.rt, p.draft_id, session["user_id"], p.enabled)
        )

    @on("captain:set", CaptainIn, CaptainOut)
    async def _captain(self, session: Session, p: CaptainIn) -> Ack:
        return success(
            await commands.set_captain(
                self.rt, p.race_id, session["user_id"], p.driver_id, team_id=session["team_id"]
            )
        )

    @on("sync", SyncIn, SyncEvents | SyncState, spectators=True)
    async def _sync(self, session: Session, p: SyncIn) -> Ack:
        events = await snapshot.events_after(
            p.draft_id, p.after_seq, self.rt.live, session["league_id"]
        )
        if events is None:
            state = await snapshot.draft_snapshot(self.rt, p.draft_id, session["user_id"])
            return {"ok": True, "state": state}
        return {"ok": True, "events": events}

    @on("draft:start", DraftRef, ControlDone)
    async def _start(self, session: Session, p: DraftRef) -> Ack:
        return success(await commands.start_draft(self.rt, p.draft_id, session["user_id"]))

    @on("draft:pause", DraftRef, ControlDone)
    async def _pause(self, session: Session, p: DraftRef) -> Ack:
        return success(await commands.pause_draft(self.rt, p.draft_id, session["user_id"]))

    @on("draft:resume", DraftRef, ControlDone)
    async def _resume(self, session: Session, p: DraftRef) -> Ack:
        return success(await commands.resume_draft(self.rt, p.draft_id, session["user_id"]))

    @on("draft:undo", DraftRef, ControlDone)
    async def _undo(self, session: Session, p: DraftRef) -> Ack:
        return success(await commands.undo_pick(self.rt, p.draft_id, session["user_id"]))

    @on("chat:send", ChatIn, ChatSent)
    async def _chat_send(self, session: Session, p: ChatIn) -> Ack:
        message = await chat.send(self.rt, p.draft_id, session["user_id"], p.text)
        return success({"message": message})

    @on("chat:delete", ChatDeleteIn, ChatDeletedOut)
    async def _chat_delete(self, session: Session, p: ChatDeleteIn) -> Ack:
        return success(await chat.delete(self.rt, p.draft_id, p.id, session["user_id"]))

"""The draft room of a league: Socket.IO namespace ``/league/{league_id}`` (SPEC section 3).

One :class:`LeagueNamespace` serves every league namespace of the process (namespaces are
singletons; what belongs to one connection lives in its Socket.IO session). On connect it
authenticates the token, checks the user may see the league (member, or spectator of a
public league open to spectators; a connect without a token may watch a public demo league
read-only, see docs/contract.md), enters the socket in room ``user:{user_id}`` (where the
private ``queue`` event goes), records presence, then sends ``draft:state`` and broadcasts
``presence``. Client events are dispatched by :mod:`draftroom.realtime.league_actions`;
every one is answered through the ack, never with an exception.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
from collections.abc import Coroutine
from typing import Any

import socketio

from draftroom.admission import Admission
from draftroom.coordination import presence
from draftroom.errors import (
    DraftroomError,
    Forbidden,
    NotFound,
    ServiceUnavailable,
    Unauthorized,
)
from draftroom.metrics import SOCKET_EVENTS, SOCKETS_CONNECTED
from draftroom.outages import outage_error
from draftroom.realtime import league_actions
from draftroom.realtime.revocation_watch import RevocationWatch
from draftroom.realtime.server import fanout_of
from draftroom.realtime.socket_budget import SocketBudget
from draftroom.realtime.user_ns import authenticate_socket, refuse
from draftroom.services.chat import CHAT_ROOM
from draftroom.services.membership import RosterCache, league_roster
from draftroom.services.notifier import league_namespace, user_room
from draftroom.services.runtime import Runtime

log = logging.getLogger("draftroom.realtime.league")

_NAMESPACE = re.compile(r"^/league/([1-9][0-9]{0,9})$")
PRESENCE_BATCH_S = 0.5
CONNECT_SLOTS = 32
"""Connects checked at once (token and league access); more wait their turn."""
CONNECT_QUEUE = 3000
"""Connects that may wait; past it a connect is refused ``overloaded`` (retry later)."""
CONNECT_WAIT_S = 10.0


def league_id_of(namespace: str) -> int | None:
    """The league id of ``/league/{id}``, else None."""
    match = _NAMESPACE.match(namespace)
    return int(match.group(1)) if match and int(match.group(1)) < 2**31 else None


async def _access(
    rosters: RosterCache, league_id: int, user_id: int, is_admin: bool
) -> tuple[str, int | None, bool]:
    """``(role, team_id, reads_chat)`` of a user in a league's room: commissioner, member
    or spectator, and whether the socket receives the chat (:attr:`LeagueAccess.can_read_chat`).

    NotFound for a private league the user is not in; Forbidden when the user may see the
    league but not watch its drafts. Admins without a team watch as spectators.
    """
    access = await rosters.access(league_id, user_id, is_admin=is_admin)
    if not access.can_watch:
        raise Forbidden("This league's draft room is open to its members only.")
    if access.is_member and access.team_id is not None:
        return access.role, access.team_id, True
    return "spectator", None, access.can_read_chat


def _anonymous(auth: Any) -> bool:
    """A connect without a token: an anonymous visitor (allowed to watch a demo league)."""
    return not (isinstance(auth, dict) and auth.get("token"))


def anonymous_user_id(sid: str) -> int:
    """A negative pseudo user id per anonymous socket (no account has one), so presence
    counts each anonymous watcher as one spectator."""
    return -(int(hashlib.sha256(sid.encode()).hexdigest()[:12], 16) + 1)


async def _watch_demo(league_id: int) -> tuple[str, int | None]:
    """``("spectator", None)`` for a public demo league (public watch mode); else the
    Unauthorized a connect without a token always got."""
    roster = await league_roster(league_id)
    if roster.league.get("is_demo") and not roster.league["is_private"]:
        return "spectator", None
    raise Unauthorized("Connect with auth: {token: <access_token>}.")


class LeagueNamespace:
    """Connect, disconnect and events of every ``/league/{id}`` namespace of the process."""

    def __init__(
        self,
        sio: socketio.AsyncServer,
        rt: Runtime,
        limiter: SocketBudget | None = None,
        watch: RevocationWatch | None = None,
    ) -> None:
        self.sio = sio
        self.rt = rt
        self.watch = watch or RevocationWatch(sio, rt.revocations)  # revoked tokens' sockets
        self.limiter = limiter or SocketBudget()
        self.rosters = RosterCache()
        self.admission = Admission(CONNECT_SLOTS, CONNECT_QUEUE, CONNECT_WAIT_S, kind="connect")
        self.presence = presence.PresenceKeeper(rt.redis, on_change=self.broadcast_presence)
        self.actions = league_actions.Actions(rt, self.drop)
        self._presence_pending: set[int] = set()
        self._tasks: set[asyncio.Task[Any]] = set()

    # --- connect / disconnect ----------------------------------------------------------

    async def connect(self, namespace: str, sid: str, auth: Any) -> None:
        """Admit the socket or raise ConnectionRefusedError carrying ``{code, message}``."""
        league_id = league_id_of(namespace)
        try:
            if league_id is None:
                raise NotFound("No such namespace.")
            async with self.admission.slot():
                if _anonymous(auth):
                    user = None
                    role, team_id = await _watch_demo(league_id)
                    user_id = anonymous_user_id(sid)
                    reads_chat = False
                else:
                    user = await authenticate_socket(self.rt, auth)
                    user_id = user.user_id
                    role, team_id, reads_chat = await _access(
                        self.rosters, league_id, user.user_id, user.is_admin
                    )
            session = {
                "user_id": user_id,
                "token": auth["token"] if user is not None else None,
                "anonymous": user is None,
                "league_id": league_id,
                "role": role,
                "team_id": team_id,
                "jti": user.jti if user is not None else None,  # for the revocation watch
                "issued_at_us": user.issued_at_us if user is not None else None,
            }
            await self.sio.save_session(sid, session, namespace=namespace)
            if user is not None:
                await self.sio.enter_room(sid, user_room(user_id), namespace=namespace)
            if reads_chat:
                await self.sio.enter_room(sid, CHAT_ROOM, namespace=namespace)
            await self.presence.join(presence.Entry(league_id, sid, user_id, team_id))
            if user is not None:
                self.watch.add(namespace, sid, user)  # revocation watch: last, cannot fail
        except DraftroomError as error:
            raise refuse(error) from None
        except socketio.exceptions.ConnectionRefusedError:
            raise
        except Exception:
            log.exception("league connect failed", extra={"namespace": namespace})
            raise refuse(ServiceUnavailable()) from None
        SOCKETS_CONNECTED.labels("league").inc()
        self._spawn(self._welcome(namespace, sid, league_id, user_id, team_id))

    async def _welcome(
        self, namespace: str, sid: str, league_id: int, user_id: int, team_id: int | None
    ) -> None:
        """After the CONNECT packet: ``draft:state`` to this socket, ``presence`` to all."""
        for attempt in range(100):  # the handler returns before the CONNECT packet is sent
            if self.sio.manager.is_connected(sid, namespace):
                break
            await asyncio.sleep(0 if attempt < 3 else 0.01)
        else:  # gone before it was connected
            with contextlib.suppress(Exception):
                await self.presence.leave(presence.Entry(league_id, sid, user_id, team_id))
            return
        try:
            await fanout_of(self.sio).ready(namespace)  # events after the state will arrive
            state = await self.actions.current_state(league_id, user_id)
            await self.sio.emit(
                "draft:state", state, to=sid, namespace=namespace, ignore_queue=True
            )
        except Exception:
            log.exception("sending draft:state failed", extra={"namespace": namespace})
        self.schedule_presence(league_id)

    async def disconnect(self, namespace: str, sid: str) -> None:
        """Forget the socket's bucket and presence; tell the room."""
        self.limiter.forget(sid)
        self.watch.remove(namespace, sid)  # revocation watch
        try:
            session = await self.sio.get_session(sid, namespace=namespace)
        except KeyError:
            return
        if "user_id" in session:
            SOCKETS_CONNECTED.labels("league").dec()
        league_id = session.get("league_id")
        if league_id is None:
            return
        entry = presence.Entry(league_id, sid, session["user_id"], session.get("team_id"))
        try:
            await self.presence.leave(entry)
        except Exception:
            log.warning("presence leave failed (the entry will expire)", exc_info=True)
        self.schedule_presence(league_id)

    # --- events ----------------------------------------------------------------------

    async def event(self, event: str, namespace: str, sid: str, args: tuple[Any, ...]) -> Any:
        """Answer a client event: ``{"ok": true, ...}`` or ``{"ok": false, "error"}``."""
        try:
            if not self.limiter.allow(sid):
                ack = league_actions.failure(league_actions.rate_limited(self.limiter, sid))
                SOCKET_EVENTS.labels("any", "rate_limited").inc()
                return ack
            try:
                session = await self.sio.get_session(sid, namespace=namespace)
            except KeyError:
                session = {}
            ack = await self.actions.dispatch(event, namespace, sid, session, args)
        except Exception as error:  # the last line: never let python-socketio see one
            outage = outage_error(error)
            if outage is None:
                log.exception("league event failed", extra={"event": event})
            else:
                log.warning("league event: backing service unavailable: %r", error)
            ack = league_actions.failure(outage or DraftroomError())
        outcome = "ok" if ack.get("ok") else str(ack["error"]["code"])
        known = event if event in league_actions.EVENTS else "unknown"
        SOCKET_EVENTS.labels(known, outcome).inc()
        return ack

    async def drop(self, namespace: str, sid: str) -> None:
        """Disconnect a socket shortly after its (error) ack has been sent."""

        async def later() -> None:
            await asyncio.sleep(0.05)
            with contextlib.suppress(Exception):
                await self.sio.disconnect(sid, namespace=namespace)

        self._spawn(later())

    # --- presence --------------------------------------------------------------------

    def schedule_presence(self, league_id: int) -> None:
        """Broadcast the league's presence soon: joins and leaves of every league within
        PRESENCE_BATCH_S are read in one round trip, then published per league."""
        self._presence_pending.add(league_id)
        if len(self._presence_pending) > 1:
            return

        async def later() -> None:
            await asyncio.sleep(PRESENCE_BATCH_S)
            leagues, self._presence_pending = self._presence_pending, set()
            await self.broadcast_presence(*leagues)

        self._spawn(later())

    async def broadcast_presence(self, *league_ids: int) -> None:
        """Send ``presence {online_team_ids, spectators}`` to the rooms, every process."""
        try:
            payloads = await presence.presences(self.rt.redis, league_ids)
            await asyncio.gather(
                *(
                    self.sio.emit("presence", payload, namespace=league_namespace(league_id))
                    for league_id, payload in payloads.items()
                )
            )
        except Exception:
            log.warning("presence broadcast failed", exc_info=True)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def stop(self) -> None:
        """Stop background work (presence refresh, pending broadcasts)."""
        await self.presence.stop()
        for task in list(self._tasks):
            task.cancel()

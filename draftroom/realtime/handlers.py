"""Routes catch-all Socket.IO handlers to the namespace that owns them."""

from __future__ import annotations

from typing import Any

import socketio

from draftroom.errors import NotFound
from draftroom.realtime import user_ns
from draftroom.realtime.league_actions import failure
from draftroom.realtime.league_ns import LeagueNamespace, league_id_of
from draftroom.realtime.revocation_watch import RevocationWatch
from draftroom.services.runtime import Runtime


def register_handlers(sio: socketio.AsyncServer, rt: Runtime) -> LeagueNamespace:
    """Install the connect/disconnect/event handlers of every namespace; the league
    namespace they route to (the composition root stops it on shutdown)."""
    watch = RevocationWatch(sio, rt.revocations)  # drops sockets of revoked tokens
    league = LeagueNamespace(sio, rt, watch=watch)

    @sio.on("connect", namespace="*")
    async def _connect(namespace: str, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        if namespace == "/":
            await user_ns.connect_default(sio, rt, sid, auth, watch)
            return
        if league_id_of(namespace) is not None:
            await league.connect(namespace, sid, auth)
            return
        raise user_ns.refuse(_unknown_namespace())

    @sio.on("disconnect", namespace="*")
    async def _disconnect(namespace: str, sid: str, *args: Any) -> None:
        if namespace == "/":
            await user_ns.disconnect_default(sid, watch)
        elif league_id_of(namespace) is not None:
            await league.disconnect(namespace, sid)

    @sio.on("*", namespace="*")
    async def _event(event: str, namespace: str, sid: str, *args: Any) -> Any:
        if league_id_of(namespace) is not None:
            return await league.event(event, namespace, sid, args)
        return failure(NotFound(f"No event {event[:40]!r} in this namespace."))

    return league


def _unknown_namespace() -> NotFound:
    return NotFound("No such namespace.")

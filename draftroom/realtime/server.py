"""The python-socketio server: every namespace (``namespaces="*"``), per-league fan-out."""

from __future__ import annotations

from typing import Any

import socketio

from draftroom.config import Settings
from draftroom.realtime.fanout import FanoutManager
from draftroom.realtime.origins import OriginPolicy
from draftroom.realtime.protocol import GuardedServer


class SocketServer(GuardedServer):
    """The AsyncServer of the serve processes.

    python-socketio ends an Engine.IO connection by visiting *every* namespace the process
    knows (``_handle_eio_disconnect``), two failed lookups each: with a namespace per
    league that is O(leagues) per disconnect (a fifth of the servers' CPU in a 10,000-socket
    reconnect storm across 440 leagues). This server remembers the namespaces each
    connection asked to join and visits only those.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._joined: dict[str, set[str]] = {}
        """Engine.IO sid -> namespaces it sent a CONNECT for (connected or not)."""

    async def _handle_connect(self, eio_sid: str, namespace: str | None, data: Any) -> None:
        self._joined.setdefault(eio_sid, set()).add(namespace or "/")
        await super()._handle_connect(eio_sid, namespace, data)

    async def _handle_eio_disconnect(self, eio_sid: str, reason: Any) -> None:
        for namespace in self._joined.pop(eio_sid, ()):
            await self._handle_disconnect(eio_sid, namespace, reason)
        self.environ.pop(eio_sid, None)


def create_socket_server(settings: Settings, redis_url: str) -> socketio.AsyncServer:
    """An AsyncServer whose emits reach clients of every process through Redis, on a
    channel per league (:class:`~draftroom.realtime.fanout.FanoutManager`); protocol errors
    close the connection (:class:`~draftroom.realtime.protocol.GuardedServer`); a
    disconnect visits only the connection's namespaces (:class:`SocketServer`)."""
    return SocketServer(
        async_mode="asgi",
        namespaces="*",
        client_manager=FanoutManager(redis_url),
        cors_allowed_origins=OriginPolicy(
            settings.allowed_origins, trust_forwarded=settings.proxy_hops > 0
        ),
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
        logger=False,
        engineio_logger=False,
    )


def fanout_of(sio: socketio.AsyncServer) -> FanoutManager:
    """The fan-out manager of a server made by :func:`create_socket_server`."""
    manager = sio.manager
    assert isinstance(manager, FanoutManager)
    return manager


def write_only_notifier(redis_url: str) -> FanoutManager:
    """A publisher for processes without sockets (the taskiq worker)."""
    return FanoutManager(redis_url, write_only=True)

"""The python-socketio server: every namespace (``namespaces="*"``), per-league fan-out."""

from __future__ import annotations

import socketio

from draftroom.config import Settings
from draftroom.realtime.fanout import FanoutManager
from draftroom.realtime.origins import OriginPolicy
from draftroom.realtime.protocol import GuardedServer


def create_socket_server(settings: Settings, redis_url: str) -> socketio.AsyncServer:
    """An AsyncServer whose emits reach clients of every process through Redis, on a
    channel per league (:class:`~draftroom.realtime.fanout.FanoutManager`); protocol errors
    close the connection (:class:`~draftroom.realtime.protocol.GuardedServer`)."""
    return GuardedServer(
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

"""The python-socketio server: every namespace (``namespaces="*"``), Redis fan-out."""

from __future__ import annotations

import socketio

from draftroom.config import Settings


def create_socket_server(settings: Settings, redis_url: str) -> socketio.AsyncServer:
    """An AsyncServer whose emits reach clients of every process through Redis."""
    manager = socketio.AsyncRedisManager(redis_url, channel="draftroom:socketio")
    return socketio.AsyncServer(
        async_mode="asgi",
        namespaces="*",
        client_manager=manager,
        cors_allowed_origins=[],
        max_http_buffer_size=64 * 1024,
        ping_interval=20,
        ping_timeout=20,
        logger=False,
        engineio_logger=False,
    )


def write_only_notifier(redis_url: str) -> socketio.AsyncRedisManager:
    """A publisher for processes without sockets (the taskiq worker)."""
    return socketio.AsyncRedisManager(redis_url, channel="draftroom:socketio", write_only=True)

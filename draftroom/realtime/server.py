"""The python-socketio server: every namespace (``namespaces="*"``), Redis fan-out."""

from __future__ import annotations

import redis.asyncio as aioredis
import socketio

from draftroom.config import Settings

CHANNEL = "draftroom:socketio"
# redis-py 8 reads with a 5 s socket timeout by default; the listener's blocking read must
# never be cut by it (a resubscription would drop what other processes broadcast meanwhile).
LISTENER_OPTIONS = {"socket_timeout": None, "socket_connect_timeout": 5, "socket_keepalive": True}
PUBLISH_CONNECTIONS = 32
"""Connections the manager publishes on (a burst waits for one instead of failing)."""


class PooledRedisManager(socketio.AsyncRedisManager):
    """``AsyncRedisManager`` whose publishes wait for one of a few pooled connections.

    The stock manager's client has redis-py's default pool, which raises
    ``MaxConnectionsError`` past 100 concurrent publishes; the manager then drops its
    client (and its listener's pub/sub) and reconnects, so a burst of broadcasts turns into
    connection churn, slow publishes and, on a second failure, a broadcast given up.
    """

    def _redis_connect(self) -> None:
        pool = aioredis.BlockingConnectionPool.from_url(
            self.redis_url, max_connections=PUBLISH_CONNECTIONS, timeout=30, **self.redis_options
        )
        self.redis = aioredis.Redis(connection_pool=pool)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True


def create_socket_server(settings: Settings, redis_url: str) -> socketio.AsyncServer:
    """An AsyncServer whose emits reach clients of every process through Redis."""
    manager = PooledRedisManager(redis_url, channel=CHANNEL, redis_options=dict(LISTENER_OPTIONS))
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
    return PooledRedisManager(redis_url, channel=CHANNEL, write_only=True)

"""The bare baseline's fan-out: python-socketio's stock ``AsyncRedisManager`` (one channel
for everything) on a blocking connection pool."""

from __future__ import annotations

import redis.asyncio as aioredis
import socketio

PUBLISH_CONNECTIONS = 32


class PooledRedisManager(socketio.AsyncRedisManager):
    """``AsyncRedisManager`` whose publishes wait for one of a few pooled connections.

    The stock manager's client has redis-py's default pool, which raises
    ``MaxConnectionsError`` past 100 concurrent publishes; the manager then drops its
    client and reconnects, so a burst of broadcasts turns into connection churn.
    """

    def _redis_connect(self) -> None:
        pool = aioredis.BlockingConnectionPool.from_url(
            self.redis_url, max_connections=PUBLISH_CONNECTIONS, timeout=30, **self.redis_options
        )
        self.redis = aioredis.Redis(connection_pool=pool)
        self.pubsub = self.redis.pubsub(ignore_subscribe_messages=True)
        self.connected = True

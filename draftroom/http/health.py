"""GET /health: database and Redis reported separately."""

from __future__ import annotations

import asyncio

from pydantic import BaseModel
from quart import Blueprint
from quart_schema import tag, validate_response

from draftroom.coordination.redis import ping as ping_redis
from draftroom.db.engine import ping as ping_database
from draftroom.http.deps import runtime

blueprint = Blueprint("health", __name__)


class Health(BaseModel):
    status: str
    database: str
    redis: str


@blueprint.get("/health")
@tag(["health"])
@validate_response(Health)
async def health() -> Health:
    """``ok`` when PostgreSQL and Redis both answer, ``degraded`` otherwise (still 200)."""
    database_ok, redis_ok = await asyncio.gather(ping_database(), ping_redis(runtime().redis))
    return Health(
        status="ok" if database_ok and redis_ok else "degraded",
        database="ok" if database_ok else "down",
        redis="ok" if redis_ok else "down",
    )

"""GET /health: database and Redis reported separately; 503 while degraded, so that load
balancers take the process out (the body is the same JSON either way)."""

from __future__ import annotations

from quart import Blueprint, Response, jsonify
from quart_schema import document_response, tag

from draftroom.contracts.health import Health
from draftroom.http.deps import runtime
from draftroom.services import health as health_service

blueprint = Blueprint("health", __name__)


@blueprint.get("/health")
@tag(["health"])
@document_response(Health, 200)
@document_response(Health, 503)
async def health() -> Response:
    """``ok`` (200) when PostgreSQL and Redis both answer, ``degraded`` (503) otherwise."""
    database_ok, redis_ok = await health_service.probe(runtime().redis)
    body = Health(
        status="ok" if database_ok and redis_ok else "degraded",
        database="ok" if database_ok else "down",
        redis="ok" if redis_ok else "down",
    )
    response = jsonify(body.model_dump())
    response.status_code = 200 if body.status == "ok" else 503
    return response

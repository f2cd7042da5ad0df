"""GET /metrics: this process's metrics (defined in draftroom.metrics) as Prometheus text.

With ``DRAFTROOM_METRICS_TOKEN`` set, a scrape must send ``Authorization: Bearer <token>``
(else 401). Without it, /metrics is open in development and test (``make dev``, the test
suite and the load test read it) and off in production (404): set the token there.
"""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from quart import Blueprint, Response, request
from quart_schema import hide

from draftroom.errors import NotFound, Unauthorized
from draftroom.http.deps import runtime

blueprint = Blueprint("metrics", __name__)


def check_scrape(authorization: str, token: str | None, environment: str) -> None:
    """Raise unless a scrape with this ``Authorization`` header may read the metrics."""
    if token is None:
        if environment == "production":
            raise NotFound("Metrics are off: set DRAFTROOM_METRICS_TOKEN to scrape them.")
        return
    scheme, _, presented = authorization.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(presented.encode(), token.encode()):
        raise Unauthorized("Scraping /metrics needs Authorization: Bearer <metrics token>.")


@blueprint.get("/metrics")
@hide  # Prometheus text for scrapers, not part of the REST API
async def metrics() -> Response:
    """Prometheus text exposition of this process's metrics."""
    settings = runtime().settings
    check_scrape(
        request.headers.get("Authorization", ""), settings.metrics_token, settings.environment
    )
    return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)

"""The Quart application: REST under /api/v1, /health, /metrics, OpenAPI, the web client."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path

from quart import Quart, Response, g, request, send_from_directory
from quart_schema import Info, QuartSchema, hide

from draftroom import __version__, metrics
from draftroom.http import dev_mailbox, health
from draftroom.http import metrics as metrics_routes
from draftroom.http.errors import install_error_handlers
from draftroom.http.openapi import DraftroomOpenAPI
from draftroom.http.params import DbIdConverter, StaticPathConverter
from draftroom.http.routes import API_BLUEPRINTS, API_PREFIX
from draftroom.logs import request_id_var
from draftroom.services.runtime import Runtime

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def create_quart_app(rt: Runtime) -> Quart:
    """Build the Quart app around ``rt`` (no I/O happens here)."""
    app = Quart("draftroom", static_folder=None)
    app.url_map.converters["int"] = DbIdConverter
    app.url_map.converters["static_path"] = StaticPathConverter
    app.config["MAX_CONTENT_LENGTH"] = rt.settings.max_body_bytes
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.config["JSON_SORT_KEYS"] = False
    app.extensions["draftroom"] = rt
    QuartSchema(
        app,
        openapi_path="/openapi.json",
        swagger_ui_path=None,  # /docs is static/docs.html: Swagger UI vendored, not a CDN
        redoc_ui_path=None,
        scalar_ui_path=None,
        info=Info(title="draftroom API", version=__version__),
        security_schemes={"bearer": {"type": "http", "scheme": "bearer", "bearer_format": "JWT"}},
        openapi_provider_class=DraftroomOpenAPI,
    )
    install_error_handlers(app)
    _install_request_hooks(app)
    app.register_blueprint(health.blueprint)
    app.register_blueprint(metrics_routes.blueprint)
    if rt.settings.dev_mailbox:
        app.register_blueprint(dev_mailbox.blueprint)
    for blueprint in API_BLUEPRINTS:
        app.register_blueprint(blueprint, url_prefix=API_PREFIX)
    _install_static(app)
    return app


def _install_request_hooks(app: Quart) -> None:
    @app.before_request
    async def _start() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_id = request_id
        g.request_token = request_id_var.set(request_id)
        g.request_started = time.perf_counter()

    @app.after_request
    async def _finish(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers["X-Request-ID"] = request_id
        rule = request.url_rule.rule if request.url_rule is not None else "unmatched"
        started = g.get("request_started")
        if started is not None:
            metrics.HTTP_LATENCY.labels(rule).observe(time.perf_counter() - started)
        metrics.HTTP_REQUESTS.labels(request.method, rule, str(response.status_code)).inc()
        return response


def _install_static(app: Quart) -> None:
    @app.get("/")
    @hide
    async def _index() -> Response:
        return await send_from_directory(STATIC_DIR, "index.html")

    @app.get("/docs")
    @hide
    async def _docs() -> Response:
        return await send_from_directory(STATIC_DIR, "docs.html")

    @app.get("/<static_path:filename>")
    @hide
    async def _static(filename: str) -> Response:
        response = await send_from_directory(STATIC_DIR, filename)
        response.headers["Cache-Control"] = "no-cache"
        return response

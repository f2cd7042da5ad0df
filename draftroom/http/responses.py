"""The JSON response of a route: one home for ``jsonify`` plus a status."""

from __future__ import annotations

from typing import Any

from quart import Response, jsonify


def json_response(body: Any, status: int = 200) -> Response:
    """``body`` as JSON with ``status``."""
    response = jsonify(body)
    response.status_code = status
    return response

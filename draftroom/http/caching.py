"""Conditional GET for cached views: ``ETag`` on the response, 304 on ``If-None-Match``."""

from __future__ import annotations

from quart import Response, jsonify, request

from draftroom.services.results.cache import Cached


def etag_response(entry: Cached, *, max_age_s: int = 0) -> Response:
    """The JSON body of ``entry`` with its ETag, or an empty 304 when the client has it."""
    sent = {tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")}
    fresh = entry.etag in sent or "*" in sent
    response = Response(status=304) if fresh else jsonify(entry.value)
    response.headers["ETag"] = entry.etag
    response.headers["Cache-Control"] = f"private, max-age={max_age_s}, must-revalidate"
    return response

"""Every error as the SPEC's JSON body; 500s logged with the request id, never leaked."""

from __future__ import annotations

import logging
from typing import Any

import asyncpg
import werkzeug.exceptions
from quart import Quart, Response, jsonify
from quart.wrappers import Request
from quart_schema import RequestSchemaValidationError
from werkzeug.exceptions import HTTPException

from draftroom.errors import (
    BadRequest,
    DraftroomError,
    MalformedJSON,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    ServiceUnavailable,
    ValidationFailed,
)
from draftroom.logs import request_id_var
from draftroom.outages import outage_error
from draftroom.payloads import invalid

log = logging.getLogger("draftroom.http")

_BY_STATUS: dict[int, type[DraftroomError]] = {
    400: BadRequest,
    404: NotFound,
    405: MethodNotAllowed,
    413: PayloadTooLarge,
    429: RateLimited,
}


class DraftroomRequest(Request):
    """A Request whose malformed JSON raises our MalformedJSON (400), not an HTML page."""

    def on_json_loading_failed(self, error: Exception | None) -> Any:
        raise MalformedJSON(f"The request body is not valid JSON: {error}")

    async def get_json(self, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
        """The parsed body; a body that is not UTF-8 is malformed JSON too (400)."""
        try:
            return await super().get_json(force, silent, cache)
        except UnicodeDecodeError:
            if silent:
                return None
            raise MalformedJSON("The request body is not valid JSON: it is not UTF-8.") from None


def error_response(error: DraftroomError) -> Response:
    """The JSON error body and status of ``error``."""
    response = jsonify({"error": error.to_dict()})
    response.status_code = error.status
    if isinstance(error, RateLimited | ServiceUnavailable):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def install_error_handlers(app: Quart) -> None:
    """Register the handlers that turn every failure into the SPEC's error body."""
    app.request_class = DraftroomRequest

    @app.errorhandler(DraftroomError)
    async def _draftroom(error: DraftroomError) -> Response:
        if isinstance(error, ServiceUnavailable):
            log.warning("request refused: %s", error.message)
        elif error.status >= 500:
            log.error("request failed: %s", error.message, exc_info=error)
        return error_response(error)

    @app.errorhandler(RequestSchemaValidationError)
    async def _schema(error: RequestSchemaValidationError) -> Response:
        cause = error.validation_error
        if isinstance(cause, MalformedJSON):
            return error_response(cause)
        return error_response(invalid(cause))

    @app.errorhandler(HTTPException)
    async def _http(error: HTTPException) -> Response:
        status = error.code or 500
        kind = _BY_STATUS.get(status)
        if kind is None:
            mapped = DraftroomError(error.description or "HTTP error")
            mapped.status = status
            return error_response(mapped)
        response = error_response(kind())
        if isinstance(error, werkzeug.exceptions.MethodNotAllowed) and error.valid_methods:
            response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return response

    @app.errorhandler(asyncpg.exceptions.DataError)
    async def _data(error: asyncpg.exceptions.DataError) -> Response:
        # a value PostgreSQL cannot hold (an integer past its range, a NUL in a string):
        # only client input reaches the database this way
        log.warning("value refused by the database: %s", str(error)[:200])
        return error_response(
            ValidationFailed("A value is out of range or contains a forbidden character.")
        )

    @app.errorhandler(Exception)
    async def _unexpected(error: Exception) -> Response:
        outage = outage_error(error)
        if outage is not None:  # PostgreSQL or Redis down: not a bug, one line
            log.warning("backing service unavailable: %s: %s", type(error).__name__, error)
            return error_response(outage)
        request_id = request_id_var.get()
        log.exception("unhandled error", exc_info=error)
        return error_response(DraftroomError(f"Internal server error (request id {request_id})."))

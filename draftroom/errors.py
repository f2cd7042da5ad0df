"""One exception tree with stable error codes, shared by REST and Socket.IO.

Every error a user can meet is a :class:`DraftroomError` subclass; its ``code`` is the
stable snake_case string of the public contract and ``status`` the HTTP status REST uses.
"""

from __future__ import annotations

from typing import Any


class DraftroomError(Exception):
    """Base of every error with a stable code and an HTTP status."""

    code = "internal_error"
    status = 500
    default_message = "Internal server error."

    def __init__(self, message: str | None = None, *, details: Any = None) -> None:
        self.message = message or self.default_message
        self.details = details
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        """The SPEC's error object: ``{"code", "message", "details"?}``."""
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.details is not None:
            body["details"] = self.details
        return body


class BadRequest(DraftroomError):
    code = "bad_request"
    status = 400
    default_message = "The request could not be understood."


class MalformedJSON(BadRequest):
    code = "malformed_json"
    default_message = "The request body is not valid JSON."


class ValidationFailed(DraftroomError):
    code = "validation_error"
    status = 422
    default_message = "The request is not valid."


class InvalidResetToken(BadRequest):
    """A password reset token that is unknown, malformed, expired or already used."""

    code = "invalid_token"
    default_message = "This reset link is not valid; ask for a new one."


class Unauthorized(DraftroomError):
    code = "unauthorized"
    status = 401
    default_message = "Authentication required."


class Forbidden(DraftroomError):
    code = "forbidden"
    status = 403
    default_message = "You may not do that."


class NotFound(DraftroomError):
    code = "not_found"
    status = 404
    default_message = "Not found."


class MethodNotAllowed(DraftroomError):
    code = "method_not_allowed"
    status = 405
    default_message = "Method not allowed."


class Conflict(DraftroomError):
    code = "conflict"
    status = 409
    default_message = "Conflict with the current state."


class MockDraftLimit(Conflict):
    code = "mock_draft_limit"
    default_message = "You have too many unfinished mock drafts; finish one first."


class PayloadTooLarge(DraftroomError):
    code = "payload_too_large"
    status = 413
    default_message = "The request body is too large."


class RateLimited(DraftroomError):
    code = "rate_limited"
    status = 429
    default_message = "Too many requests; slow down."

    def __init__(
        self, message: str | None = None, *, retry_after: int = 1, details: Any = None
    ) -> None:
        super().__init__(message, details=details)
        self.retry_after = max(1, int(retry_after))


class ServiceUnavailable(DraftroomError):
    code = "service_unavailable"
    status = 503
    default_message = "A backing service is unavailable; try again."

    def __init__(
        self, message: str | None = None, *, retry_after: int = 5, details: Any = None
    ) -> None:
        super().__init__(message, details=details)
        self.retry_after = max(1, int(retry_after))


class Overloaded(RateLimited):
    """Past this process's capacity: refused at once rather than queued for seconds; the
    client retries after ``details.retry_after_ms``."""

    code = "overloaded"
    status = 503
    default_message = "The server is busy; try again in a moment."

    def __init__(self, message: str | None = None, *, retry_after_ms: int = 250) -> None:
        super().__init__(
            message,
            retry_after=(retry_after_ms + 999) // 1000,
            details={"retry_after_ms": retry_after_ms},
        )


# --- draft rules (SPEC section 3 error codes) -------------------------------------------


class NotYourTurn(Conflict):
    code = "not_your_turn"
    default_message = "It is not your turn to pick."


class PickTaken(Conflict):
    code = "pick_taken"
    default_message = "That pick has already been made."


class DriverTaken(Conflict):
    code = "driver_taken"
    default_message = "That driver has already been drafted."


class DriverUnknown(ValidationFailed):
    code = "driver_unknown"
    default_message = "That driver is not in this draft's pool."


class DraftNotLive(Conflict):
    code = "draft_not_live"
    default_message = "The draft is not live."


class DraftLocked(Conflict):
    code = "draft_locked"
    default_message = "The draft is locked."


class LockLost(DraftroomError):
    """This process no longer owns the draft it tried to write; the write was refused."""

    code = "lock_lost"
    status = 409
    default_message = "This process no longer owns the draft."


# --- upstream ------------------------------------------------------------------------------


class UpstreamError(DraftroomError):
    """The Jolpica API failed or answered something we cannot use."""

    code = "upstream_error"
    status = 502
    default_message = "The results provider failed."


class MalformedPayload(UpstreamError):
    code = "malformed_payload"
    default_message = "The results provider sent a malformed payload."

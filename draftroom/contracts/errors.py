"""The one error body of the API (SPEC section 2): ``{"error": {code, message, details?}}``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorBody(BaseModel):
    code: str
    message: str
    details: Any = None


class ErrorResponse(BaseModel):
    """Every error of the API."""

    error: ErrorBody

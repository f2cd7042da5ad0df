"""``GET /health`` (outside ``/api/v1``)."""

from __future__ import annotations

from pydantic import BaseModel


class Health(BaseModel):
    status: str
    database: str
    redis: str

"""Field types shared by the contract modules."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, WithJsonSchema

IsoTime = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]
"""A time as REST writes it: ISO 8601 in UTC with a ``Z`` (``draftroom.timestamps``)."""

EpochMs = Annotated[int, Field(description="ms since the epoch")]
"""A time as the draft payloads write it."""

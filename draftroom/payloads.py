"""Client payloads, declared once and shared by REST and Socket.IO (SPEC sections 2, 3).

Each client command has one body model here (:class:`PickBody`, :class:`QueueBody`, ...);
a socket event's model adds the id REST carries in its path (:class:`DraftRef`, ``race_id``).
Every model is strict (``"5"`` is not an id, ``1`` is not a boolean), bounds ids to the
database's integer range and ignores unknown keys. Both transports answer a bad payload
with the same ``validation_error``: ``details`` is :func:`validation_details`'s list of
``{"field", "message", "type"}``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from draftroom.errors import ValidationFailed

MAX_PAYLOAD_BYTES = 4096
MAX_QUEUE = 64
INT_MAX = 2_147_483_647
INVALID = "The request is not valid."

Id = Annotated[int, Field(ge=1, le=INT_MAX)]
PickNo = Annotated[int, Field(ge=1, le=10_000)]
Seq = Annotated[int, Field(ge=0, le=INT_MAX)]


class Payload(BaseModel):
    """Base of every client payload: strict, frozen, unknown keys ignored."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class DraftRef(Payload):
    """``{draft_id}``: draft:start, draft:pause, draft:resume, draft:undo."""

    draft_id: Id


class PickBody(Payload):
    """``{pick_no, driver_id}``: the body of ``POST /drafts/{id}/picks``."""

    pick_no: PickNo
    driver_id: Id


class PickRequest(PickBody):
    """``{pick_no, driver_id, for_team?}``: ``POST /drafts/{id}/picks``. A plain pick is
    the ``pick`` event; ``for_team: true`` is ``draft:force_pick`` (the commissioner)."""

    for_team: bool = False


class PickIn(PickBody, DraftRef):
    """``{draft_id, pick_no, driver_id}``: pick, draft:force_pick."""


class QueueBody(Payload):
    """``{driver_ids}``: best first, at most :data:`MAX_QUEUE`, no driver twice."""

    driver_ids: list[Id] = Field(max_length=MAX_QUEUE)

    @field_validator("driver_ids")
    @classmethod
    def _distinct(cls, driver_ids: list[int]) -> list[int]:
        if len(set(driver_ids)) != len(driver_ids):
            raise PydanticCustomError("duplicate_driver", "A driver appears twice in the queue.")
        return driver_ids


class QueueIn(QueueBody, DraftRef):
    """``{draft_id, driver_ids}``: queue:set."""


class AutodraftBody(Payload):
    """``{enabled}``."""

    enabled: bool


class AutodraftIn(AutodraftBody, DraftRef):
    """``{draft_id, enabled}``: autodraft:set."""


class CaptainBody(Payload):
    """``{driver_id}``: the body of ``PUT /teams/{id}/races/{race_id}/captain``."""

    driver_id: Id


class CaptainIn(CaptainBody):
    """``{race_id, driver_id}``: captain:set."""

    race_id: Id


class SyncIn(DraftRef):
    """``{draft_id, after_seq}``: sync."""

    after_seq: Seq


class ChatIn(DraftRef):
    """``{draft_id, text}``: chat:send (1..500 characters once trimmed, plain text)."""

    text: str = Field(max_length=2000)


class ChatDeleteIn(DraftRef):
    """``{draft_id, id}``: chat:delete (the commissioner)."""

    id: Id


M = TypeVar("M", bound=Payload)


def _message(kind: str, message: str) -> str:
    # pydantic's model_type message names the model class, which differs per transport
    return "Input should be a JSON object" if kind == "model_type" else message


def validation_details(exc: Exception) -> list[dict[str, Any]]:
    """Pydantic errors as ``[{"field", "message", "type"}]`` (``field`` dotted, or "body")."""
    if isinstance(exc, ValidationError):
        return [
            {
                "field": ".".join(str(part) for part in err["loc"]) or "body",
                "message": _message(err["type"], err["msg"]),
                "type": err["type"],
            }
            for err in exc.errors(include_url=False, include_context=False)
        ]
    return [{"field": "body", "message": str(exc), "type": "invalid"}]


def invalid(exc: Exception) -> ValidationFailed:
    """The ``validation_error`` of a payload that failed its model (both transports)."""
    return ValidationFailed(INVALID, details=validation_details(exc))


def payload_size(data: Any) -> int:
    """The size of ``data`` as compact JSON, in bytes (unserialisable data counts as huge)."""
    try:
        return len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
    except (TypeError, ValueError):
        return MAX_PAYLOAD_BYTES + 1


def parse(model: type[M], data: Any) -> M:
    """Validate a socket payload as ``model``, or raise ValidationFailed (with details)."""
    if payload_size(data) > MAX_PAYLOAD_BYTES:
        raise ValidationFailed(
            f"The payload is larger than {MAX_PAYLOAD_BYTES} bytes.",
            details={"max_bytes": MAX_PAYLOAD_BYTES},
        )
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid(error) from None

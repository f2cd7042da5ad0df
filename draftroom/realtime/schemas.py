"""Payloads of the client -> server events of a league namespace (SPEC section 3).

Every model is strict (``"5"`` is not an id, ``1`` is not a boolean), bounds ids to the
database's integer range and ignores unknown keys. :func:`parse` turns any payload into
its model or raises :class:`ValidationFailed` with pydantic's error list as details;
payloads larger than :data:`MAX_PAYLOAD_BYTES` once serialised are refused before parsing.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from draftroom.errors import ValidationFailed

MAX_PAYLOAD_BYTES = 4096
MAX_QUEUE_LENGTH = 64
_INT_MAX = 2_147_483_647

Id = Annotated[int, Field(ge=1, le=_INT_MAX)]
PickNo = Annotated[int, Field(ge=1, le=10_000)]
Seq = Annotated[int, Field(ge=0, le=_INT_MAX)]


class _Payload(BaseModel):
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)


class DraftRef(_Payload):
    """``{draft_id}``: draft:start, draft:pause, draft:resume, draft:undo."""

    draft_id: Id


class PickIn(_Payload):
    """``{draft_id, pick_no, driver_id}``: pick, draft:force_pick."""

    draft_id: Id
    pick_no: PickNo
    driver_id: Id


class QueueIn(_Payload):
    """``{draft_id, driver_ids}``: queue:set (best first, no duplicates)."""

    draft_id: Id
    driver_ids: list[Id] = Field(max_length=MAX_QUEUE_LENGTH)


class AutodraftIn(_Payload):
    """``{draft_id, enabled}``: autodraft:set."""

    draft_id: Id
    enabled: bool


class CaptainIn(_Payload):
    """``{race_id, driver_id}``: captain:set."""

    race_id: Id
    driver_id: Id


class SyncIn(_Payload):
    """``{draft_id, after_seq}``: sync."""

    draft_id: Id
    after_seq: Seq


class ChatIn(_Payload):
    """``{draft_id, text}``: chat:send (1..500 characters once trimmed, plain text)."""

    draft_id: Id
    text: str = Field(max_length=2000)


class ChatDeleteIn(_Payload):
    """``{draft_id, id}``: chat:delete (the commissioner)."""

    draft_id: Id
    id: Id


EVENT_MODELS: dict[str, type[_Payload]] = {
    "pick": PickIn,
    "queue:set": QueueIn,
    "autodraft:set": AutodraftIn,
    "captain:set": CaptainIn,
    "sync": SyncIn,
    "draft:start": DraftRef,
    "draft:pause": DraftRef,
    "draft:resume": DraftRef,
    "draft:undo": DraftRef,
    "draft:force_pick": PickIn,
    "chat:send": ChatIn,
    "chat:delete": ChatDeleteIn,
}

M = TypeVar("M", bound=_Payload)


def payload_size(data: Any) -> int:
    """The size of ``data`` as compact JSON, in bytes (unserialisable data counts as huge)."""
    try:
        return len(json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode())
    except (TypeError, ValueError):
        return MAX_PAYLOAD_BYTES + 1


def parse(model: type[M], data: Any) -> M:
    """Validate ``data`` as ``model``, or raise ValidationFailed (with details)."""
    if payload_size(data) > MAX_PAYLOAD_BYTES:
        raise ValidationFailed(
            f"The payload is larger than {MAX_PAYLOAD_BYTES} bytes.",
            details={"max_bytes": MAX_PAYLOAD_BYTES},
        )
    if not isinstance(data, dict):
        raise ValidationFailed("The payload must be a JSON object.")
    try:
        parsed = model.model_validate(data)
    except ValidationError as error:
        raise ValidationFailed(
            "The payload is not valid.",
            details=error.errors(include_url=False, include_context=False, include_input=False),
        ) from None
    if isinstance(parsed, QueueIn) and len(set(parsed.driver_ids)) != len(parsed.driver_ids):
        raise ValidationFailed("driver_ids must not repeat a driver.")
    return parsed

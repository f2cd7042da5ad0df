"""Draft events as the transports send them (REST's event log, Socket.IO payloads)."""

from __future__ import annotations

from typing import Any

from draftroom.contracts.drafts import DraftEventOut
from draftroom.domain.draft import Event


def event_dict(draft_id: int, event: Event) -> DraftEventOut:
    """An event as REST serves it: ``{seq, type, data, at}`` (data carries draft/seq/at)."""
    return {
        "seq": event.seq,
        "type": event.type,
        "data": payload(draft_id, event),
        "at": event.at_ms,
    }


def payload(draft_id: int, event: Event) -> dict[str, Any]:
    """The Socket.IO payload of a draft event: its data plus ``draft_id``, ``seq``, ``at``."""
    return {**event.data, "draft_id": draft_id, "seq": event.seq, "at": event.at_ms}

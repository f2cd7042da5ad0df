"""Draft events as the transports send them (REST's event log, Socket.IO payloads)."""

from __future__ import annotations

from typing import cast

from draftroom.contracts.drafts import DraftEventData, DraftEventOut
from draftroom.domain.draft import Event


def event_dict(draft_id: int, event: Event) -> DraftEventOut:
    """An event as REST serves it: ``{seq, type, data, at}`` (data carries draft/seq/at)."""
    return {
        "seq": event.seq,
        "type": event.type,
        "data": payload(draft_id, event),
        "at": event.at_ms,
    }


def payload(draft_id: int, event: Event) -> DraftEventData:
    """The Socket.IO payload of a draft event: its data plus ``draft_id``, ``seq``, ``at``
    (the domain's data is the rest of its type's shape)."""
    body = {**event.data, "draft_id": draft_id, "seq": event.seq, "at": event.at_ms}
    return cast("DraftEventData", body)

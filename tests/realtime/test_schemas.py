"""Client event payloads: strict types, bounds, size."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom.errors import ValidationFailed
from draftroom.realtime import schemas


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("pick", {"draft_id": 1, "pick_no": 1, "driver_id": 3}),
        ("pick", {"draft_id": 1, "pick_no": 1, "driver_id": 3, "extra": "ignored"}),
        ("queue:set", {"draft_id": 1, "driver_ids": []}),
        ("queue:set", {"draft_id": 1, "driver_ids": [3, 1, 2]}),
        ("autodraft:set", {"draft_id": 1, "enabled": False}),
        ("captain:set", {"race_id": 4, "driver_id": 9}),
        ("sync", {"draft_id": 1, "after_seq": 0}),
        ("draft:start", {"draft_id": 1}),
        ("draft:force_pick", {"draft_id": 1, "pick_no": 2, "driver_id": 3}),
    ],
)
def test_valid_payloads(event: str, payload: dict[str, Any]) -> None:
    parsed = schemas.parse(schemas.EVENT_MODELS[event], payload)
    for key in parsed.model_fields_set:
        assert getattr(parsed, key) == payload[key]


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("pick", None),
        ("pick", [1, 2, 3]),
        ("pick", "draft"),
        ("pick", {"draft_id": 1, "pick_no": 1}),
        ("pick", {"draft_id": "1", "pick_no": 1, "driver_id": 3}),
        ("pick", {"draft_id": 1, "pick_no": 1.0, "driver_id": 3}),
        ("pick", {"draft_id": True, "pick_no": 1, "driver_id": 3}),
        ("pick", {"draft_id": 0, "pick_no": 1, "driver_id": 3}),
        ("pick", {"draft_id": 2**31, "pick_no": 1, "driver_id": 3}),
        ("pick", {"draft_id": 1, "pick_no": -1, "driver_id": 3}),
        ("queue:set", {"draft_id": 1, "driver_ids": "1,2"}),
        ("queue:set", {"draft_id": 1, "driver_ids": [1, 1]}),
        ("queue:set", {"draft_id": 1, "driver_ids": list(range(1, 100))}),
        ("autodraft:set", {"draft_id": 1, "enabled": 1}),
        ("autodraft:set", {"draft_id": 1, "enabled": "yes"}),
        ("sync", {"draft_id": 1, "after_seq": -1}),
        ("sync", {"draft_id": 1}),
        ("captain:set", {"race_id": 1}),
        ("draft:pause", {}),
        ("draft:pause", {"draft_id": 1, "pad": "x" * 5000}),
    ],
)
def test_invalid_payloads(event: str, payload: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        schemas.parse(schemas.EVENT_MODELS[event], payload)
    assert caught.value.code == "validation_error"


def test_every_spec_event_has_a_model() -> None:
    assert set(schemas.EVENT_MODELS) == {
        "pick", "queue:set", "autodraft:set", "captain:set", "sync", "draft:start",
        "draft:pause", "draft:resume", "draft:undo", "draft:force_pick", "chat:send",
        "chat:delete",
    }  # fmt: skip

"""Client payloads: strict types, bounds, size; one registry of socket events."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom import payloads
from draftroom.errors import ValidationFailed
from draftroom.realtime.league_actions import EVENTS


def model(event: str) -> type[payloads.Payload]:
    return EVENTS[event].model


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("pick", {"draft_id": 1, "pick_no": 1, "driver_id": 3}),
        ("pick", {"draft_id": 1, "pick_no": 1, "driver_id": 3, "extra": "ignored"}),
        ("queue:set", {"draft_id": 1, "driver_ids": []}),
        ("queue:set", {"draft_id": 1, "driver_ids": [3, 1, 2]}),
        ("queue:set", {"draft_id": 1, "driver_ids": list(range(1, payloads.MAX_QUEUE + 1))}),
        ("autodraft:set", {"draft_id": 1, "enabled": False}),
        ("captain:set", {"race_id": 4, "driver_id": 9}),
        ("sync", {"draft_id": 1, "after_seq": 0}),
        ("draft:start", {"draft_id": 1}),
        ("draft:force_pick", {"draft_id": 1, "pick_no": 2, "driver_id": 3}),
    ],
)
def test_valid_payloads(event: str, payload: dict[str, Any]) -> None:
    parsed = payloads.parse(model(event), payload)
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
        ("queue:set", {"draft_id": 1, "driver_ids": list(range(1, payloads.MAX_QUEUE + 2))}),
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
        payloads.parse(model(event), payload)
    assert caught.value.code == "validation_error"
    assert caught.value.details  # every refusal says why


def test_details_name_the_field() -> None:
    with pytest.raises(ValidationFailed) as caught:
        payloads.parse(payloads.QueueIn, {"draft_id": 1, "driver_ids": [4, "5", 4]})
    assert caught.value.details == [
        {"field": "driver_ids.1", "message": "Input should be a valid integer", "type": "int_type"}
    ]
    with pytest.raises(ValidationFailed) as caught:
        payloads.parse(payloads.QueueIn, {"draft_id": 1, "driver_ids": [4, 4]})
    assert caught.value.details == [
        {
            "field": "driver_ids",
            "message": "A driver appears twice in the queue.",
            "type": "duplicate_driver",
        }
    ]


def test_every_spec_event_is_registered_once_with_its_model() -> None:
    assert {name: event.model for name, event in EVENTS.items()} == {
        "pick": payloads.PickIn,
        "queue:set": payloads.QueueIn,
        "autodraft:set": payloads.AutodraftIn,
        "captain:set": payloads.CaptainIn,
        "sync": payloads.SyncIn,
        "draft:start": payloads.DraftRef,
        "draft:pause": payloads.DraftRef,
        "draft:resume": payloads.DraftRef,
        "draft:undo": payloads.DraftRef,
        "draft:force_pick": payloads.PickIn,
        "chat:send": payloads.ChatIn,
        "chat:delete": payloads.ChatDeleteIn,
    }


def test_spectators_may_only_sync() -> None:
    assert [name for name, event in EVENTS.items() if event.spectators] == ["sync"]

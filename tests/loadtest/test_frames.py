"""The load generator's hand-written Engine.IO/Socket.IO packets and seq bitmaps."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom.loadtest import frames
from draftroom.loadtest.tracking import has_gap, prefix, upto


@pytest.mark.parametrize(
    ("text", "kind", "namespace", "ack_id", "data"),
    [
        ('2/league/7,["draft:pick",{"seq":3}]', "2", "/league/7", None, ["draft:pick", {"seq": 3}]),
        ('3/league/7,12[{"ok":true}]', "3", "/league/7", 12, [{"ok": True}]),
        ('0/league/7,{"sid":"abc"}', "0", "/league/7", None, {"sid": "abc"}),
        ('4/league/7,{"message":"no"}', "4", "/league/7", None, {"message": "no"}),
        ("1/league/7,", "1", "/league/7", None, None),
        ('2["notification",{}]', "2", "/", None, ["notification", {}]),
        ("0", "0", "/", None, None),
    ],
)
def test_parse_socketio(
    text: str, kind: str, namespace: str, ack_id: int | None, data: Any
) -> None:
    assert frames.parse_socketio(text) == frames.Packet(kind, namespace, ack_id, data)


@pytest.mark.parametrize(
    ("packet", "expected"),
    [
        (frames.connect_packet("/league/3", {"token": "t"}), '0/league/3,{"token":"t"}'),
        (frames.connect_packet("/", None), "0"),
        (
            frames.event_packet("/league/3", "pick", {"pick_no": 1}, 5),
            '2/league/3,5["pick",{"pick_no":1}]',
        ),
        (frames.event_packet("/league/3", "sync", {"a": 1}), '2/league/3,["sync",{"a":1}]'),
        (frames.event_packet("/", "x", None), '2["x",null]'),
    ],
)
def test_encode(packet: str, expected: str) -> None:
    assert packet == expected


def test_event_round_trip() -> None:
    packet = frames.parse_socketio(frames.event_packet("/league/9", "pick", {"d": "é"}, 41))
    assert packet == frames.Packet("2", "/league/9", 41, ["pick", {"d": "é"}])


@pytest.mark.parametrize(
    ("seqs", "expected_prefix", "gap"),
    [
        ([], 0, False),
        ([1], 1, False),
        ([1, 2, 3], 3, False),
        ([2], 0, True),
        ([1, 2, 4], 2, True),
        ([1, 3, 4, 5], 1, True),
    ],
)
def test_seq_bitmaps(seqs: list[int], expected_prefix: int, gap: bool) -> None:
    mask = 0
    for seq in seqs:
        mask |= 1 << seq
    assert prefix(mask) == expected_prefix
    assert has_gap(mask) is gap
    assert upto(expected_prefix) & mask == upto(expected_prefix)

"""The same bad payload gets the same ``validation_error`` details on REST and Socket.IO."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom.payloads import MAX_QUEUE
from tests.realtime.conftest import create_draft
from tests.support.leagues import make_league

API = "/api/v1"

# (socket event, REST method, REST path, the body both transports get)
# the socket payload adds the id REST carries in its path
CASES: list[tuple[str, str, str, Any]] = [
    ("pick", "POST", "/drafts/{draft}/picks", {}),
    ("pick", "POST", "/drafts/{draft}/picks", {"pick_no": 1}),
    ("pick", "POST", "/drafts/{draft}/picks", {"pick_no": "1", "driver_id": 1}),
    ("pick", "POST", "/drafts/{draft}/picks", {"pick_no": 0, "driver_id": 1}),
    ("pick", "POST", "/drafts/{draft}/picks", {"pick_no": 1.5, "driver_id": 1}),
    ("pick", "POST", "/drafts/{draft}/picks", {"pick_no": 1, "driver_id": 2**40}),
    ("pick", "POST", "/drafts/{draft}/picks", {"pick_no": 1, "driver_id": 0}),
    ("pick", "POST", "/drafts/{draft}/picks", {"pick_no": None, "driver_id": True}),
    ("queue:set", "PUT", "/drafts/{draft}/queue", {"driver_ids": "1,2"}),
    ("queue:set", "PUT", "/drafts/{draft}/queue", {"driver_ids": [1, "2"]}),
    ("queue:set", "PUT", "/drafts/{draft}/queue", {"driver_ids": [5, 5]}),
    ("queue:set", "PUT", "/drafts/{draft}/queue", {"driver_ids": list(range(1, MAX_QUEUE + 2))}),
    ("queue:set", "PUT", "/drafts/{draft}/queue", {}),
    ("autodraft:set", "PUT", "/drafts/{draft}/autodraft", {"enabled": "yes"}),
    ("autodraft:set", "PUT", "/drafts/{draft}/autodraft", {"enabled": 1}),
    ("autodraft:set", "PUT", "/drafts/{draft}/autodraft", {}),
    ("captain:set", "PUT", "/teams/{team}/races/{race}/captain", {"driver_id": None}),
    ("captain:set", "PUT", "/teams/{team}/races/{race}/captain", {"driver_id": -3}),
]


@pytest.mark.parametrize(("event", "method", "path", "body"), CASES)
async def test_same_details_on_both_transports(
    make_user: Any, runtime: Any, open_client: Any, http: Any,
    event: str, method: str, path: str, body: Any,
) -> None:  # fmt: skip
    room = await make_league(make_user, teams=2)
    draft_id = await create_draft(runtime, room)
    user = room.commissioner
    team_id = room.team_of[user.id]
    url = API + path.format(draft=draft_id, team=team_id, race=room.race_id)
    response = await http.request(method, url, json=body, headers=user.headers)
    assert response.status_code == 422, response.text
    rest = response.json()["error"]

    key = {"race_id": room.race_id} if event == "captain:set" else {"draft_id": draft_id}
    socket = await open_client(room.league_id, user)
    ack = await socket.call(event, {**key, **body})
    assert ack["ok"] is False
    live = ack["error"]

    assert rest["code"] == live["code"] == "validation_error"
    assert rest["details"] == live["details"]
    assert rest["details"] and all(
        d.keys() == {"field", "message", "type"} for d in rest["details"]
    )


async def test_a_body_that_is_not_an_object(
    make_user: Any, runtime: Any, open_client: Any, http: Any
) -> None:
    room = await make_league(make_user, teams=2)
    draft_id = await create_draft(runtime, room)
    user = room.commissioner
    response = await http.post(f"{API}/drafts/{draft_id}/picks", json=[1, 2], headers=user.headers)
    socket = await open_client(room.league_id, user)
    ack = await socket.call("pick", [draft_id, 1, 2])
    expected = [{"field": "body", "message": "Input should be a JSON object", "type": "model_type"}]
    assert response.status_code == 422
    assert response.json()["error"]["details"] == expected
    assert ack["error"]["details"] == expected

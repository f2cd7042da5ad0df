"""Bad input on every draft route: the SPEC's error codes, never a crash."""

from __future__ import annotations

from typing import Any

import pytest

from tests.drafts.conftest import create_draft, start

API = "/api/v1"


def code(r: Any) -> tuple[int, str]:
    return r.status_code, r.json()["error"]["code"]


async def live_draft(http: Any, world: Any, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
    w = await world(**kwargs)
    draft = await create_draft(http, w)
    return w, await start(http, w, draft["id"])


async def test_unknown_draft_is_404_on_every_route(http: Any, world: Any) -> None:
    w = await world(teams=2)
    h = w.commissioner.headers
    calls = [
        http.get(f"{API}/drafts/999", headers=h),
        http.get(f"{API}/drafts/999/picks", headers=h),
        http.get(f"{API}/drafts/999/events", headers=h),
        http.post(f"{API}/drafts/999/picks", json={"pick_no": 1, "driver_id": 1}, headers=h),
        http.put(f"{API}/drafts/999/queue", json={"driver_ids": []}, headers=h),
        http.put(f"{API}/drafts/999/autodraft", json={"enabled": True}, headers=h),
        http.post(f"{API}/drafts/999/start", headers=h),
        http.post(f"{API}/drafts/999/pause", headers=h),
        http.post(f"{API}/drafts/999/resume", headers=h),
        http.post(f"{API}/drafts/999/undo", headers=h),
    ]
    for call in calls:
        assert code(await call) == (404, "not_found")


async def test_another_private_leagues_draft_is_hidden(http: Any, world: Any) -> None:
    w, state = await live_draft(http, world, teams=2)
    other = await world(teams=2, reference=(w.drivers, w.races))
    stranger = other.commissioner.headers
    draft_id = state["id"]
    for call in (
        http.get(f"{API}/drafts/{draft_id}", headers=stranger),
        http.get(f"{API}/drafts/{draft_id}/picks", headers=stranger),
        http.get(f"{API}/drafts/{draft_id}/events", headers=stranger),
        http.get(f"{API}/leagues/{w.league_id}/drafts", headers=stranger),
        http.post(
            f"{API}/drafts/{draft_id}/picks",
            json={"pick_no": 1, "driver_id": w.drivers[0]},
            headers=stranger,
        ),
        http.put(f"{API}/drafts/{draft_id}/queue", json={"driver_ids": []}, headers=stranger),
        http.post(f"{API}/drafts/{draft_id}/pause", headers=stranger),
        http.post(
            f"{API}/leagues/{w.league_id}/drafts", json={"race_id": w.races[1]}, headers=stranger
        ),
    ):
        assert code(await call) == (404, "not_found")


async def test_public_league_non_member_is_forbidden_to_act(http: Any, world: Any) -> None:
    w, state = await live_draft(http, world, teams=2, is_private=False)
    other = await world(teams=2, reference=(w.drivers, w.races))
    r = await http.post(
        f"{API}/drafts/{state['id']}/picks",
        json={"pick_no": 1, "driver_id": w.drivers[0]},
        headers=other.commissioner.headers,
    )
    assert code(r) == (403, "forbidden")
    # spectators "members" (default): a public league's draft is for members only
    r = await http.get(f"{API}/drafts/{state['id']}", headers=other.commissioner.headers)
    assert code(r) == (403, "forbidden")


async def test_pick_errors(http: Any, world: Any) -> None:
    w, state = await live_draft(http, world, teams=3)
    draft_id, order = state["id"], state["order"]
    first, second = w.owner(order[0]), w.owner(order[1])
    bystander = next(w.owner(t) for t in order[1:] if w.owner(t) is not w.commissioner)
    url = f"{API}/drafts/{draft_id}/picks"
    r = await http.post(
        url, json={"pick_no": 1, "driver_id": w.drivers[0]}, headers=bystander.headers
    )
    assert code(r) == (409, "not_your_turn")
    r = await http.post(url, json={"pick_no": 1, "driver_id": 99999}, headers=first.headers)
    assert code(r) == (422, "driver_unknown")
    r = await http.post(url, json={"pick_no": 2, "driver_id": w.drivers[0]}, headers=first.headers)
    assert code(r) == (409, "pick_taken")
    r = await http.post(url, json={"pick_no": 1, "driver_id": w.drivers[0]}, headers=first.headers)
    assert r.status_code == 201
    r = await http.post(url, json={"pick_no": 1, "driver_id": w.drivers[1]}, headers=second.headers)
    assert code(r) == (409, "pick_taken")
    r = await http.post(url, json={"pick_no": 2, "driver_id": w.drivers[0]}, headers=second.headers)
    assert code(r) == (409, "driver_taken")
    # a plain pick is the caller's own team's: the commissioner says for_team to pick for
    # the team on the clock (tests/realtime/test_commissioner_pick.py: both transports)
    r = await http.post(
        url,
        json={"pick_no": 2, "driver_id": w.drivers[1], "for_team": True},
        headers=w.commissioner.headers,
    )
    assert r.status_code == 201
    assert (r.json()["team_id"], r.json()["by"]) == (order[1], "commissioner")


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"pick_no": 1},
        {"driver_id": 1},
        {"pick_no": "1", "driver_id": 1},
        {"pick_no": 1, "driver_id": "x"},
        {"pick_no": 0, "driver_id": 1},
        {"pick_no": 1.5, "driver_id": 1},
        {"pick_no": None, "driver_id": 1},
        [],
    ],
)
async def test_pick_wrong_types(http: Any, world: Any, body: Any) -> None:
    w, state = await live_draft(http, world, teams=2)
    r = await http.post(
        f"{API}/drafts/{state['id']}/picks", json=body, headers=w.commissioner.headers
    )
    assert code(r) == (422, "validation_error")


async def test_other_routes_wrong_types(http: Any, world: Any) -> None:
    w, state = await live_draft(http, world, teams=2)
    h, d = w.commissioner.headers, state["id"]
    for call in (
        http.put(f"{API}/drafts/{d}/queue", json={"driver_ids": "1,2"}, headers=h),
        http.put(f"{API}/drafts/{d}/queue", json={"driver_ids": [1, "2"]}, headers=h),
        http.put(f"{API}/drafts/{d}/autodraft", json={"enabled": "yes"}, headers=h),
        http.put(f"{API}/drafts/{d}/autodraft", json={}, headers=h),
        http.post(f"{API}/leagues/{w.league_id}/drafts", json={"race_id": "x"}, headers=h),
        http.post(f"{API}/leagues/{w.league_id}/drafts", json={}, headers=h),
        http.get(f"{API}/drafts/{d}/events", params={"after_seq": "x"}, headers=h),
        http.get(f"{API}/drafts/{d}/events", params={"after_seq": -1}, headers=h),
        http.put(
            f"{API}/teams/{w.team_of[w.commissioner.id]}/races/{w.race_id}/captain",
            json={"driver_id": None},
            headers=h,
        ),
    ):
        assert code(await call) == (422, "validation_error")
    r = await http.post(
        f"{API}/drafts/{d}/picks", content=b"{not json", headers={**h, "content-type":
        "application/json"},
    )  # fmt: skip
    assert r.status_code == 400
    r = await http.get(f"{API}/drafts/{d}")
    assert code(r) == (401, "unauthorized")


async def test_queue_and_autodraft_errors(http: Any, world: Any) -> None:
    w, state = await live_draft(http, world, teams=2)
    d = state["id"]
    h = w.users[1].headers
    r = await http.put(f"{API}/drafts/{d}/queue", json={"driver_ids": [99999]}, headers=h)
    assert code(r) == (422, "driver_unknown")
    r = await http.put(
        f"{API}/drafts/{d}/queue", json={"driver_ids": [w.drivers[0]] * 2}, headers=h
    )
    assert code(r) == (422, "validation_error")


async def test_non_commissioner_commands_are_forbidden(http: Any, world: Any) -> None:
    w, state = await live_draft(http, world, teams=2)
    member = w.users[1].headers
    d = state["id"]
    for action in ("pause", "resume", "undo", "start", "cancel"):
        r = await http.post(f"{API}/drafts/{d}/{action}", headers=member)
        assert code(r) == (403, "forbidden"), action
    r = await http.post(
        f"{API}/leagues/{w.league_id}/drafts", json={"race_id": w.races[1]}, headers=member
    )
    assert code(r) == (403, "forbidden")


async def test_lifecycle_conflicts(http: Any, world: Any) -> None:
    w = await world(teams=2)
    h = w.commissioner.headers
    draft = await create_draft(http, w)
    d = draft["id"]
    r = await http.post(f"{API}/drafts/{d}/pause", headers=h)
    assert code(r) == (409, "draft_not_live")
    r = await http.post(
        f"{API}/drafts/{d}/picks", json={"pick_no": 1, "driver_id": w.drivers[0]}, headers=h
    )
    assert code(r) == (409, "draft_not_live")
    await start(http, w, d)
    r = await http.post(f"{API}/drafts/{d}/start", headers=h)
    assert r.status_code == 409
    r = await http.post(f"{API}/drafts/{d}/resume", headers=h)
    assert r.status_code == 409
    r = await http.post(f"{API}/drafts/{d}/undo", headers=h)
    assert r.status_code == 409  # nothing to undo
    r = await http.post(
        f"{API}/leagues/{w.league_id}/drafts", json={"race_id": w.race_id}, headers=h
    )
    assert r.status_code == 409  # one draft per race
    r = await http.post(f"{API}/leagues/{w.league_id}/drafts", json={"race_id": 99999}, headers=h)
    assert code(r) == (404, "not_found")
    r = await http.post(
        f"{API}/leagues/{w.league_id}/drafts",
        json={"race_id": w.races[1], "opens_at": "2999-01-01T00:00:00Z"},
        headers=h,
    )
    assert code(r) == (422, "validation_error")  # opens after qualifying

"""POST and GET /mock-drafts: the happy path, every bad input (nothing created), the
per-user limit, and the mock kept out of league lists."""

from __future__ import annotations

from typing import Any

import pytest

from tests.mock.conftest import API, counts, post_mock


async def test_create_a_mock_draft_and_list_it(http: Any, make_user: Any, races: list[int]) -> None:
    from draftroom.db.engine import DB

    alice = await make_user("alice")
    r = await post_mock(http, alice, races[1], teams=5, pick_seconds=20, my_slot=2)
    assert r.status_code == 201, r.text
    mock = r.json()
    assert mock["race_id"] == races[1] and mock["race_name"] == "Test GP 2"
    assert (mock["teams"], mock["pick_seconds"], mock["my_slot"]) == (5, 20, 2)
    assert mock["status"] == "scheduled" and mock["completed_at"] is None
    assert mock["room"] == f"/leagues/{mock['league_id']}/draft"
    draft = (await http.get(f"{API}/drafts/{mock['draft_id']}", headers=alice.headers)).json()
    assert draft["league_id"] == mock["league_id"] and draft["race_id"] == races[1]
    assert draft["pick_seconds"] == 20 and draft["picks_per_team"] == 2
    assert draft["order"][1] == mock["team_id"]  # my slot: the second pick
    teams = {t["id"]: t for t in draft["teams"]}
    assert teams[mock["team_id"]]["user_id"] == alice.id
    bots = await DB.pool.fetch(
        'SELECT t.is_bot, a.username FROM team t JOIN account a ON a.id = t."user" '
        "WHERE t.league = $1 AND t.id <> $2",
        mock["league_id"],
        mock["team_id"],
    )
    assert len(bots) == 4 and all(b["is_bot"] for b in bots)
    assert {b["username"] for b in bots} == {f"mock-bot-{i}" for i in range(1, 5)}
    league = await DB.pool.fetchrow(
        "SELECT is_private, is_mock, commissioner FROM league WHERE id = $1", mock["league_id"]
    )
    assert league["is_private"] and league["is_mock"] and league["commissioner"] == alice.id
    listed = (await http.get(f"{API}/mock-drafts", headers=alice.headers)).json()
    assert [m["draft_id"] for m in listed] == [mock["draft_id"]]
    assert listed[0]["my_slot"] == 2
    second = (await post_mock(http, alice, races[0])).json()
    listed = (await http.get(f"{API}/mock-drafts", headers=alice.headers)).json()
    assert [m["draft_id"] for m in listed] == [second["draft_id"], mock["draft_id"]]
    assert 1 <= second["my_slot"] <= 4  # random when absent
    bob = await make_user("bob")
    assert (await http.get(f"{API}/mock-drafts", headers=bob.headers)).json() == []
    r = await http.get(f"{API}/drafts/{mock['draft_id']}", headers=bob.headers)
    assert r.status_code in (403, 404), r.text


async def test_mock_leagues_stay_out_of_league_lists(
    http: Any, make_user: Any, races: list[int]
) -> None:
    from draftroom.services.leagues import create_league

    alice = await make_user("alice")
    real = await create_league(
        alice.id, name="Real Pals", is_private=False, max_teams=4, team_name="Reals"
    )
    assert (await post_mock(http, alice, races[0])).status_code == 201
    mine = (await http.get(f"{API}/leagues/mine", headers=alice.headers)).json()
    assert [lg["id"] for lg in mine] == [real["id"]]
    public = (await http.get(f"{API}/leagues", headers=alice.headers)).json()
    assert [lg["id"] for lg in public] == [real["id"]]
    found = (await http.get(f"{API}/leagues?q=Mock", headers=alice.headers)).json()
    assert found == []


BAD = [
    ({"teams": 1}, "teams"),
    ({"teams": 12}, "teams"),
    ({"pick_seconds": 4}, "pick_seconds"),
    ({"pick_seconds": 301}, "pick_seconds"),
    ({"my_slot": 0}, "my_slot"),
    ({"my_slot": 5}, "my_slot"),
    ({"teams": "4"}, "teams"),
    ({"pick_seconds": 30.5}, "pick_seconds"),
    ({"my_slot": 2**40}, "my_slot"),
    ({"teams": None}, "teams"),
    ({"colour": "red"}, "colour"),
]


@pytest.mark.parametrize(("change", "field"), BAD)
async def test_bad_input_is_refused_and_creates_nothing(
    http: Any, make_user: Any, races: list[int], change: dict[str, Any], field: str
) -> None:
    alice = await make_user("alice")
    before = await counts()
    r = await post_mock(http, alice, races[0], **change)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert field in str(error.get("details")), error
    assert await counts() == before


async def test_bad_races_are_refused_and_create_nothing(
    http: Any, make_user: Any, races: list[int]
) -> None:
    from draftroom.db.engine import DB
    from draftroom.db.tables import Race, Season

    alice = await make_user("alice")
    await Season.insert(Season(year=2025)).on_conflict(action="DO NOTHING")
    old = await DB.pool.fetchval(
        "INSERT INTO race (season, round, name, circuit, country, starts_at, qualifying_at, "
        "status) SELECT 2025, 1, 'Old GP', '', '', starts_at, qualifying_at, 'scheduled' "
        "FROM race WHERE id = $1 RETURNING id",
        races[0],
    )
    await Race.update({Race.status: "cancelled"}).where(Race.id == races[2])
    before = await counts()
    r = await post_mock(http, alice, 999_999)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found", r.text
    r = await post_mock(http, alice, 2**40)
    assert r.status_code == 422, r.text
    r = await post_mock(http, alice, old)
    assert r.status_code == 422, r.text
    assert "current season" in r.json()["error"]["message"]
    r = await post_mock(http, alice, races[2])
    assert r.status_code == 422, r.text
    assert "cancelled" in r.json()["error"]["message"]
    r = await http.post(f"{API}/mock-drafts", json={"race_id": races[0]}, headers=alice.headers)
    assert r.status_code == 422, r.text
    headers = {**alice.headers, "Content-Type": "application/json"}
    r = await http.post(f"{API}/mock-drafts", content=b"{", headers=headers)
    assert r.status_code == 400 and r.json()["error"]["code"] == "malformed_json", r.text
    r = await http.post(f"{API}/mock-drafts", json={"race_id": races[0], "teams": 3})
    assert r.status_code == 401, r.text
    assert (await http.get(f"{API}/mock-drafts")).status_code == 401
    assert await counts() == before


async def test_too_many_unfinished_mock_drafts(http: Any, make_user: Any, races: list[int]) -> None:
    from draftroom.db.engine import DB
    from draftroom.services.mock_drafts import MAX_UNFINISHED

    alice = await make_user("alice")
    made = []
    for _ in range(MAX_UNFINISHED):
        r = await post_mock(http, alice, races[0])
        assert r.status_code == 201, r.text
        made.append(r.json())
    before = await counts()
    r = await post_mock(http, alice, races[1])
    assert r.status_code == 409, r.text
    error = r.json()["error"]
    assert error["code"] == "mock_draft_limit" and error["details"] == {"limit": MAX_UNFINISHED}
    assert await counts() == before
    bob = await make_user("bob")  # the limit is per user
    assert (await post_mock(http, bob, races[0])).status_code == 201
    await DB.pool.execute(
        "UPDATE draft SET status = 'complete', completed_at = now() WHERE id = $1",
        made[0]["draft_id"],
    )
    r = await post_mock(http, alice, races[1])
    assert r.status_code == 201, r.text


async def test_creations_are_rate_limited_per_user(
    http: Any, make_user: Any, races: list[int], monkeypatch: Any
) -> None:
    from draftroom.services import mock_drafts

    monkeypatch.setattr(mock_drafts, "CREATIONS_PER_HOUR", 2)
    alice, bob = await make_user("alice"), await make_user("bob")
    for _ in range(2):
        made = (await post_mock(http, alice, races[0])).json()
        r = await http.post(f"{API}/drafts/{made['draft_id']}/cancel", headers=alice.headers)
        assert r.status_code == 200, r.text  # frees a place under the unfinished cap
    before = await counts()
    r = await post_mock(http, alice, races[0])
    assert r.status_code == 429 and r.json()["error"]["code"] == "rate_limited", r.text
    assert int(r.headers["Retry-After"]) > 0
    assert await counts() == before
    assert (await post_mock(http, bob, races[0])).status_code == 201

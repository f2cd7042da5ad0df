"""REST routes of results, standings, history, notifications and the admin results actions,
against the real app (hypercorn) with JOLPICA_BASE_URL at the fake server."""

from __future__ import annotations

from typing import Any

from tests.results import helpers


async def _belgium(make_user: Any, *, private: bool = True) -> dict[str, Any]:
    season = await helpers.load_season(2024, rounds=[14])
    d, race = season.drivers, season.races[14]
    admin = await make_user("admin", is_admin=True)
    alice, bob, eve = [await make_user(n) for n in ("alice", "bob", "eve")]
    league, (a, b) = await helpers.make_league(
        2024, [alice.id, bob.id], is_private=private, names=["Arrows", "Brabham"]
    )
    await helpers.make_draft(
        league, race,
        [(a, d["russell"]), (b, d["hamilton"]), (b, d["piastri"]), (a, d["norris"])],
        captains={a: d["norris"]},
    )  # fmt: skip
    return {"race": race, "league": league, "a": a, "b": b, "d": d,
            "admin": admin, "alice": alice, "bob": bob, "eve": eve}  # fmt: skip


async def test_admin_poll_check_and_the_views(api, jolpica, make_user) -> None:
    s = await _belgium(make_user)
    race, league, alice = s["race"], s["league"], s["alice"]
    empty = await api.get(f"/races/{race}/results")
    assert empty.status_code == 200
    assert (empty.json()["revision"], empty.json()["results"]) == (None, [])

    jolpica.revision(2024, 14, "provisional")
    assert (await api.post("/admin/results/poll", headers=alice.headers)).status_code == 403
    polled = await api.post("/admin/results/poll", headers=s["admin"].headers)
    assert polled.status_code == 200, polled.text
    assert [i["race_id"] for i in polled.json()["ingested"]] == [race]

    results = await api.get(f"/races/{race}/results")
    body = results.json()
    assert (body["revision"], body["status"]) == (1, "provisional")
    first = body["results"][0]
    assert first["driver_ref"] == "russell" and first["driver_id"] == s["d"]["russell"]
    assert first["race"] == {"position": 1, "position_text": "1", "grid": 6,
                             "status": "Finished", "points": 25.0}  # fmt: skip
    assert (first["fantasy_points"], first["breakdown"]["position_gained"]) == (30.0, 5.0)
    assert first["sprint"] is None and first["qualifying"] == {"position": 7}
    assert next(r for r in body["results"] if r["fastest_lap"])["driver_ref"] == "perez"
    etag = results.headers["ETag"]
    cached = await api.get(f"/races/{race}/results", headers={"If-None-Match": etag})
    assert cached.status_code == 304

    table = await api.get(f"/leagues/{league}/standings", headers=alice.headers)
    assert table.status_code == 200
    rows = [(r["rank"], r["team_name"], r["points"], r["races"], r["wins"]) for r in table.json()]
    assert rows == [(1, "Brabham", 45.5, 1, 1), (2, "Arrows", 39.0, 1, 0)]
    assert set(table.json()[0]) == {"rank", "team_id", "team_name", "user_id", "points", "races",
                                    "wins", "last_race_points"}  # fmt: skip
    standings_etag = table.headers["ETag"]
    same = await api.get(
        f"/leagues/{league}/standings", headers={**alice.headers, "If-None-Match": standings_etag}
    )
    assert same.status_code == 304

    scores = (await api.get(f"/leagues/{league}/races/{race}/scores", headers=alice.headers)).json()
    arrows = next(t for t in scores if t["team_id"] == s["a"])
    assert (arrows["points"], arrows["captain_driver_id"]) == (39.0, s["d"]["norris"])
    assert arrows["drivers"] == [
        {"driver_id": s["d"]["russell"], "fantasy_points": 30.0, "captain": False, "points": 30.0},
        {"driver_id": s["d"]["norris"], "fantasy_points": 6.0, "captain": True, "points": 9.0},
    ]

    jolpica.revision(2024, 14, "final")
    checked = await api.post(f"/admin/races/{race}/check", headers=s["admin"].headers)
    assert checked.status_code == 200
    assert (checked.json()["changed"], checked.json()["revision"]) == (True, 2)
    assert checked.json()["reason"].startswith("George Russell disqualified")
    fresh = await api.get(
        f"/leagues/{league}/standings", headers={**alice.headers, "If-None-Match": standings_etag}
    )
    assert fresh.status_code == 200 and fresh.headers["ETag"] != standings_etag
    assert [(r["team_name"], r["points"]) for r in fresh.json()] == [
        ("Brabham", 61.5), ("Arrows", 3.5)
    ]  # fmt: skip
    results2 = await api.get(f"/races/{race}/results", headers={"If-None-Match": etag})
    assert results2.status_code == 200 and results2.json()["revision"] == 2
    russell = next(r for r in results2.json()["results"] if r["driver_ref"] == "russell")
    assert (russell["race"]["position_text"], russell["fantasy_points"]) == ("D", -10.0)

    history = (await api.get(f"/teams/{s['a']}/history", headers=alice.headers)).json()
    assert [(h["race_id"], h["revision"], h["points"]) for h in history] == [(race, 2, 3.5)]

    ranking = (await api.get("/drivers/rankings", params={"season": 2024})).json()
    assert ranking[0]["driver_ref"] == "hamilton" and ranking[0]["fantasy_points"] == 27.0
    assert ranking[-1]["driver_ref"] in {"russell", "bearman", "colapinto", "lawson", "doohan"}
    assert {"driver_id", "driver_ref", "code", "name", "fantasy_points", "races"} <= set(ranking[0])


async def test_notifications_routes(api, jolpica, make_user) -> None:
    s = await _belgium(make_user)
    alice, bob = s["alice"], s["bob"]
    jolpica.revision(2024, 14, "provisional")
    await api.post("/admin/results/poll", headers=s["admin"].headers)
    jolpica.revision(2024, 14, "final")
    await api.post(f"/admin/races/{s['race']}/check", headers=s["admin"].headers)

    listed = await api.get("/notifications", headers=alice.headers)
    assert listed.status_code == 200 and listed.headers["X-Total-Count"] == "2"
    kinds = [n["kind"] for n in listed.json()]
    assert kinds == ["results_corrected", "results_available"]  # newest first
    corrected = listed.json()[0]
    assert corrected["data"]["old_points"] == 39.0 and corrected["data"]["new_points"] == 3.5
    assert corrected["read_at"] is None and corrected["created_at"].endswith("Z")

    page = await api.get("/notifications", params={"per_page": 1, "page": 2}, headers=alice.headers)
    assert [n["kind"] for n in page.json()] == ["results_available"]
    assert page.headers["X-Total-Count"] == "2"
    bad = await api.get("/notifications", params={"per_page": 0}, headers=alice.headers)
    assert bad.status_code == 422

    read = await api.post(f"/notifications/{corrected['id']}/read", headers=alice.headers)
    assert read.status_code == 200 and read.json()["read_at"] is not None
    unread = await api.get("/notifications", params={"unread": "true"}, headers=alice.headers)
    assert unread.headers["X-Total-Count"] == "1"
    assert (
        await api.post(f"/notifications/{corrected['id']}/read", headers=bob.headers)
    ).status_code == 404
    assert (await api.post("/notifications/999999/read", headers=alice.headers)).status_code == 404
    marked = await api.post("/notifications/read-all", headers=alice.headers)
    assert marked.json() == {"marked": 1}
    none_left = await api.get("/notifications", params={"unread": "true"}, headers=alice.headers)
    assert none_left.headers["X-Total-Count"] == "0" and none_left.json() == []
    bobs = await api.get("/notifications", params={"unread": "true"}, headers=bob.headers)
    assert bobs.headers["X-Total-Count"] == "2"
    assert (await api.get("/notifications")).status_code == 401


async def test_unknown_ids_are_404(api, jolpica, make_user) -> None:
    s = await _belgium(make_user)
    alice, admin = s["alice"], s["admin"]
    for path, headers in [
        ("/races/999999/results", {}),
        ("/leagues/999999/standings", alice.headers),
        (f"/leagues/{s['league']}/races/999999/scores", alice.headers),
        ("/teams/999999/history", alice.headers),
    ]:
        response = await api.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found"
    assert (await api.post("/admin/races/999999/check", headers=admin.headers)).status_code == 404


async def test_private_league_is_invisible_to_non_members(api, jolpica, make_user) -> None:
    s = await _belgium(make_user, private=True)
    eve, alice = s["eve"], s["alice"]
    for path in (
        f"/leagues/{s['league']}/standings",
        f"/leagues/{s['league']}/races/{s['race']}/scores",
        f"/teams/{s['a']}/history",
    ):
        assert (await api.get(path, headers=eve.headers)).status_code == 404, path
        assert (await api.get(path, headers=alice.headers)).status_code == 200, path
    assert (await api.get(f"/leagues/{s['league']}/standings")).status_code == 404
    assert (
        await api.get(f"/leagues/{s['league']}/standings", headers=s["admin"].headers)
    ).status_code == 200


async def test_public_league_standings_are_readable_by_anyone(api, jolpica, make_user) -> None:
    s = await _belgium(make_user, private=False)
    eve = s["eve"]
    assert (
        await api.get(f"/leagues/{s['league']}/standings", headers=eve.headers)
    ).status_code == 200
    anonymous = await api.get(f"/leagues/{s['league']}/standings")
    assert anonymous.status_code == 200 and len(anonymous.json()) == 2
    scores = await api.get(f"/leagues/{s['league']}/races/{s['race']}/scores", headers=eve.headers)
    assert scores.status_code == 403  # race scores and history are for members

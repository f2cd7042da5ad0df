"""Season and race leaderboards after two races of two leagues, and after a correction.

League 1 is private with the default scoring; league 2 is public with captain multiplier
2.0, so it is ranked by its default-scoring equivalent (captain x1.5). Spa 2024 (round 14)
provisional, then final with Russell disqualified (see test_belgian_correction.py for the
driver points): Russell 30 -> -10, Zhou -5, Norris 6 -> 9, Hamilton 19 -> 27...
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from draftroom.services import polling
from tests.results import helpers

T0 = datetime(2024, 7, 28, 16, 0, tzinfo=UTC)


async def _setup(make_user: Any) -> dict[str, Any]:
    season = await helpers.load_season(2024, rounds=[13, 14])
    d = season.drivers
    users = {n: await make_user(n) for n in ("alice", "bob", "carol", "dave", "erin", "frank")}
    league1, (a, b, c) = await helpers.make_league(
        2024,
        [users[n].id for n in ("alice", "bob", "carol")],
        names=["Arrows", "Brabham", "Cooper"],
    )
    league2, (dt, et) = await helpers.make_league(
        2024, [users["dave"].id, users["erin"].id],
        settings={"captain_multiplier": 2.0, "picks_per_team": 1}, is_private=False,
        names=["Dallara", "Ensign"],
    )  # fmt: skip
    for race in (season.races[13], season.races[14]):
        await helpers.make_draft(
            league1, race,
            [(a, d["russell"]), (b, d["hamilton"]), (c, d["leclerc"]),
             (c, d["max_verstappen"]), (b, d["piastri"]), (a, d["norris"])],
            captains={a: d["norris"], c: d["max_verstappen"]},
        )  # fmt: skip
        await helpers.make_draft(league2, race, [(dt, d["zhou"]), (et, d["russell"])])
    return {
        "users": users, "spa": season.races[14], "hungary": season.races[13],
        "teams": {"a": a, "b": b, "c": c, "d": dt, "e": et}, "drivers": d,
        "leagues": (league1, league2),
    }  # fmt: skip


async def board(api: httpx.AsyncClient, user: Any, path: str, **query: Any) -> httpx.Response:
    return await api.get(f"/leaderboards/{path}", params=query, headers=user.headers)


def lines(response: httpx.Response) -> list[tuple[int, int, float, str]]:
    assert response.status_code == 200, response.text
    return [(r["rank"], r["team_id"], r["points"], r["scoring"]) for r in response.json()]


async def default_points(race_id: int) -> dict[int, Decimal]:
    rows = await helpers.fetch(
        "SELECT DISTINCT ON (s.driver) s.driver, s.points FROM driver_score s "
        "JOIN result_revision r ON r.id = s.revision WHERE r.race = $1 "
        "ORDER BY s.driver, r.revision DESC",
        race_id,
    )
    return {r["driver"]: r["points"] for r in rows}


async def test_leaderboards_after_two_races_and_a_correction(
    rt: Any, jolpica: Any, make_user: Any, api: httpx.AsyncClient, redis: Any
) -> None:
    s = await _setup(make_user)
    t, u, d, spa, hun = s["teams"], s["users"], s["drivers"], s["spa"], s["hungary"]
    jolpica.revision(2024, 14, "provisional")
    report = await polling.poll(rt, now=T0)
    assert sorted(i["race_id"] for i in report["ingested"]) == sorted([hun, spa])

    # Spa, provisional. Frank (in no league) sees the public league only, by its default
    # equivalent: Ensign = Russell 30 x1.5 = 45 (60 in its league), Dallara = Zhou -5 x1.5.
    response = await board(api, u["frank"], f"races/{spa}")
    assert lines(response) == [
        (1, t["e"], 45.0, "default_equivalent"), (2, t["d"], -7.5, "default_equivalent")
    ]  # fmt: skip
    assert [r["league_points"] for r in response.json()] == [60.0, -10.0]
    assert response.headers["X-Total-Count"] == "2"
    assert not any(r["mine"] for r in response.json())
    assert await redis.keys("draftroom:leaderboard:race:*")  # cached
    # Alice also sees her own team of the private league (default scoring: as stored, 39)
    mine = await board(api, u["alice"], f"races/{spa}")
    assert lines(mine) == [
        (1, t["e"], 45.0, "default_equivalent"), (2, t["a"], 39.0, "default"),
        (3, t["d"], -7.5, "default_equivalent"),
    ]  # fmt: skip
    assert [r["mine"] for r in mine.json()] == [False, True, False]
    assert mine.json()[1]["league_name"] and mine.json()[1]["team_name"] == "Arrows"

    async def expected_season(viewer_teams: set[int]) -> list[tuple[int, float]]:
        totals: dict[int, Decimal] = {}
        for race in (hun, spa):
            pts = await default_points(race)
            latest = await helpers.value(
                "SELECT max(revision) FROM result_revision WHERE race = $1", race
            )
            stored = await helpers.team_points(race, latest)
            for team in viewer_teams:
                if team in (t["d"], t["e"]):  # one pick, captain x1.5
                    driver = d["zhou"] if team == t["d"] else d["russell"]
                    value = Decimal(str(round(float(pts[driver]) * 1.5, 1)))
                else:
                    value = Decimal(str(stored[team]))
                totals[team] = totals.get(team, Decimal(0)) + value
        return sorted(((team, float(v)) for team, v in totals.items()), key=lambda x: -x[1])

    season = await board(api, u["alice"], "season", season=2024)
    want = await expected_season({t["a"], t["d"], t["e"]})
    assert [(team, pts) for _, team, pts, _ in lines(season)] == want
    assert [r["races"] for r in season.json()] == [2, 2, 2]
    # paging: two per page
    second = await board(api, u["alice"], "season", season=2024, page=2, per_page=2)
    assert lines(second)[0][:2] == (3, want[2][0]) and len(second.json()) == 1
    assert second.headers["X-Total-Count"] == "3"

    # +25 h: the final classification disqualifies Russell (revision 2): boards follow
    jolpica.revision(2024, 14, "final")
    checks = await polling.run_due_checks(rt, now=T0 + timedelta(hours=25))
    [check] = [c for c in checks if c["race_id"] == spa]
    assert (check["outcome"], check["revision"]) == ("changed", 2)
    after = await board(api, u["alice"], f"races/{spa}")
    assert lines(after) == [
        (1, t["a"], 3.5, "default"), (2, t["d"], -7.5, "default_equivalent"),
        (3, t["e"], -15.0, "default_equivalent"),
    ]  # fmt: skip
    season_after = await board(api, u["alice"], "season", season=2024)
    assert [(team, pts) for _, team, pts, _ in lines(season_after)] == await expected_season(
        {t["a"], t["d"], t["e"]}
    )
    assert lines(season_after) != lines(season)
    # Bob sees his own team, not Alice's
    bobs = await board(api, u["bob"], "season", season=2024)
    assert {r["team_id"] for r in bobs.json()} == {t["b"], t["d"], t["e"]}


async def test_leaderboard_bad_input(make_user: Any, api: httpx.AsyncClient) -> None:
    user = await make_user("gina")
    for query in ({"page": 0}, {"per_page": 0}, {"per_page": 201}, {"page": "x"},
                  {"season": "soon"}, {"season": 1800}):  # fmt: skip
        response = await board(api, user, "season", **query)
        assert response.status_code in (400, 422), (query, response.text)
        assert response.json()["error"]["code"] in ("validation_error", "bad_request")
    bad = await board(api, user, "races/1", per_page=500)
    assert bad.status_code == 422
    missing = await board(api, user, "races/999999")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    anonymous = await api.get("/leaderboards/season")
    assert anonymous.status_code == 401

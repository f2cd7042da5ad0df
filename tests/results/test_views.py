"""Standings cache and invalidation, team history, captains, bots, league scoring."""

from __future__ import annotations

from datetime import UTC, datetime

from draftroom.db.tables import Team
from draftroom.services import polling, rankings, standings
from draftroom.services.results import cache as results_cache
from tests.results import helpers

T0 = datetime(2024, 7, 28, 16, 0, tzinfo=UTC)


async def test_standings_are_cached_per_revision_and_invalidated(rt, jolpica, make_user) -> None:
    season = await helpers.load_season(2024, rounds=[14])
    d, race = season.drivers, season.races[14]
    users = [(await make_user(n)).id for n in ("alice", "bob")]
    league, (a, b) = await helpers.make_league(2024, users)
    await helpers.make_draft(league, race, [(a, d["russell"]), (b, d["hamilton"])])
    empty = await standings.standings(rt, league)
    assert [(r["team_id"], r["points"], r["races"]) for r in empty.value] == [
        (a, 0.0, 0),
        (b, 0.0, 0),
    ]

    jolpica.revision(2024, 14, "provisional")
    await polling.poll(rt, now=T0)
    rev = await results_cache.counter(rt.redis, results_cache.league_rev_key(league))
    assert rev == 1
    first = await standings.standings(rt, league)
    key = results_cache.standings_key(league, 2024, rev)
    assert 0 < await rt.redis.ttl(key) <= 4 * 3600
    assert (await standings.standings(rt, league)).etag == first.etag

    # a team renamed shows at once (the cached part is the scores, not the names)
    await Team.update({Team.name: "Renamed"}).where(Team._meta.primary_key == a)
    assert (await standings.standings(rt, league)).value[0]["team_name"] == "Renamed"

    jolpica.revision(2024, 14, "final")
    await polling.check_race(rt, race)
    assert await results_cache.counter(rt.redis, results_cache.league_rev_key(league)) == 2
    second = await standings.standings(rt, league)
    assert second.etag != first.etag
    assert [r["team_id"] for r in second.value] == [b, a]


async def test_captains_bots_and_history(rt, jolpica, make_user) -> None:
    season = await helpers.load_season(2024, rounds=[13, 14])
    d = season.drivers
    human = await make_user("human")
    bot = await make_user("bot")
    league, (h, bt) = await helpers.make_league(2024, [human.id, bot.id])
    await Team.update({Team.is_bot: True}).where(Team._meta.primary_key == bt)
    # the named captain is not among h's drivers: the first pick (Hamilton) is captain
    await helpers.make_draft(
        league, season.races[14],
        [(h, d["hamilton"]), (bt, d["russell"]), (bt, d["norris"]), (h, d["piastri"])],
        captains={h: d["leclerc"]},
    )  # fmt: skip
    await helpers.make_draft(league, season.races[13], [(h, d["sainz"]), (bt, d["perez"])])
    jolpica.unpublish(2024, 13)
    await polling.poll(rt, now=T0)
    scores = (await standings.race_scores(league, season.races[14])).value
    mine = next(s for s in scores if s["team_id"] == h)
    assert (mine["captain_driver_id"], mine["points"]) == (d["hamilton"], 27 * 1.5 + 21)
    assert {n["user"] for n in await helpers.notifications_of()} == {human.id}  # bots: none

    history = await standings.team_history(h)
    assert [(e["round"], e["points"], e["revision"]) for e in history] == [
        (13, None, None), (14, 61.5, 1)
    ]  # fmt: skip
    assert history[0]["captain_driver_id"] == d["sainz"]
    assert history[0]["drivers"] == [
        {"driver_id": d["sainz"], "fantasy_points": None, "captain": True, "points": None}
    ]


async def test_league_scoring_changes_the_ranking(rt, jolpica, make_user) -> None:
    season = await helpers.load_season(2024, rounds=[14])
    users = [(await make_user(n)).id for n in ("alice", "bob")]
    only_places, _ = await helpers.make_league(
        2024, users, settings={"scoring": {"race": [], "pole": 0, "position_gained": 3}}
    )
    await polling.poll(rt, now=T0)  # final results: Verstappen from 11th to 4th is +7 places
    default = await rankings.driver_ranking(2024)
    assert default[0].driver_ref == "hamilton"
    by_places = await rankings.driver_ranking(2024, only_places)
    assert (by_places[0].driver_ref, by_places[0].fantasy_points) == ("max_verstappen", 21.0)
    assert await rankings.ranking_ids(2024, only_places) == tuple(r.driver_id for r in by_places)
    assert len(by_places) == len(season.drivers)  # entered drivers without a result too
    reserve = next(r for r in by_places if r.driver_ref == "bearman")
    assert (reserve.races, reserve.championship_position) == (0, None)

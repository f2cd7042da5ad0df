"""Parse Jolpica MRData envelopes into typed values.

Every function takes one payload (a decoded JSON body) or the list of pages of one paged
request; pages of race tables are merged by season + round, since Jolpica pages count
result rows and repeats the Race object on every page. Anything missing or of the wrong
shape raises :class:`draftroom.errors.MalformedPayload` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from draftroom.domain import classification as cl
from draftroom.domain.classification import Classification, QualifyingRow, ResultRow
from draftroom.jolpica.fields import Node, malformed
from draftroom.jolpica.models import (
    ConstructorInfo,
    DriverInfo,
    DriverStanding,
    DriverStandings,
    ScheduledRace,
    WeekendResults,
)

POSITION_TEXTS = frozenset(
    {
        cl.RETIRED,
        cl.NOT_CLASSIFIED,
        cl.DISQUALIFIED,
        cl.EXCLUDED,
        cl.WITHDRAWN,
        cl.FAILED_TO_QUALIFY,
    }
)
"""Non-numeric ``positionText`` values the API uses."""

Payload = Mapping[str, Any]
Pages = Payload | Sequence[Payload]


def _pages(pages: Pages) -> list[Node]:
    items = [pages] if isinstance(pages, Mapping) else list(pages)
    return [Node(page, f"page[{i}]").obj("MRData") for i, page in enumerate(items)]


def page_info(payload: Payload) -> tuple[int, int, int]:
    """``(limit, offset, total)`` of one page."""
    data = Node(payload, "").obj("MRData")
    return data.integer("limit"), data.integer("offset"), data.integer("total")


def _table_rows(pages: Pages, table: str, key: str) -> list[Node]:
    rows: list[Node] = []
    for data in _pages(pages):
        rows.extend(data.obj(table).objs(key))
    return rows


def merge_races(pages: Pages, rows_key: str) -> list[tuple[Node, list[Node]]]:
    """``Races[]`` of every page, merged by season + round, with their ``rows_key`` rows."""
    merged: dict[tuple[int, int], tuple[Node, list[Node]]] = {}
    for race in _table_rows(pages, "RaceTable", "Races"):
        key = (race.integer("season"), race.integer("round"))
        if key not in merged:
            merged[key] = (race, [])
        merged[key][1].extend(race.objs(rows_key))
    return list(merged.values())


def parse_driver(node: Node) -> DriverInfo:
    """A ``Driver`` object."""
    return DriverInfo(
        ref=node.text("driverId"),
        given_name=node.opt_text("givenName") or "",
        family_name=node.opt_text("familyName") or "",
        code=node.opt_text("code"),
        number=node.opt_integer("permanentNumber"),
        nationality=node.opt_text("nationality"),
        date_of_birth=node.opt_date("dateOfBirth"),
        url=node.opt_text("url"),
    )


def parse_constructor(node: Node) -> ConstructorInfo:
    """A ``Constructor`` object."""
    return ConstructorInfo(
        ref=node.text("constructorId"),
        name=node.opt_text("name") or node.text("constructorId"),
        nationality=node.opt_text("nationality"),
        url=node.opt_text("url"),
    )


def parse_drivers(pages: Pages) -> list[DriverInfo]:
    """``/{season}/drivers.json`` -> drivers (duplicates across pages dropped)."""
    drivers = [parse_driver(n) for n in _table_rows(pages, "DriverTable", "Drivers")]
    return list({d.ref: d for d in reversed(drivers)}.values())[::-1]


def parse_constructors(pages: Pages) -> list[ConstructorInfo]:
    """``/{season}/constructors.json`` -> constructors."""
    teams = [parse_constructor(n) for n in _table_rows(pages, "ConstructorTable", "Constructors")]
    return list({c.ref: c for c in reversed(teams)}.values())[::-1]


def _session(race: Node, key: str) -> datetime | None:
    session = race.opt_obj(key)
    return session.opt_datetime() if session else None


def parse_races(pages: Pages) -> list[ScheduledRace]:
    """``/{season}/races.json`` -> the schedule, by season and round."""
    races = []
    for race in _table_rows(pages, "RaceTable", "Races"):
        circuit = race.obj("Circuit")
        location = circuit.opt_obj("Location")
        starts_at = race.opt_datetime()
        if starts_at is None:
            raise malformed(f"{race.path}.date", "is missing")
        races.append(
            ScheduledRace(
                season=race.integer("season"),
                round=race.integer("round"),
                name=race.text("raceName"),
                circuit_ref=circuit.text("circuitId"),
                circuit=circuit.opt_text("circuitName") or circuit.text("circuitId"),
                country=location.opt_text("country") if location else None,
                locality=location.opt_text("locality") if location else None,
                starts_at=starts_at,
                qualifying_at=_session(race, "Qualifying"),
                sprint_at=_session(race, "Sprint"),
                sprint_qualifying_at=_session(race, "SprintQualifying")
                or _session(race, "SprintShootout"),
                first_practice_at=_session(race, "FirstPractice"),
                url=race.opt_text("url"),
            )
        )
    unique = {(r.season, r.round): r for r in races}
    return sorted(unique.values(), key=lambda r: (r.season, r.round))


def _result_row(row: Node) -> ResultRow:
    fastest = row.opt_obj("FastestLap")
    constructor = row.opt_obj("Constructor")
    position_text = row.text("positionText")
    if not position_text.isdigit() and position_text not in POSITION_TEXTS:
        raise malformed(f"{row.path}.positionText", f"is not a known value: {position_text!r}")
    return ResultRow(
        driver_ref=row.obj("Driver").text("driverId"),
        position=row.integer("position"),
        position_text=position_text,
        grid=row.opt_integer("grid", 0) or 0,
        status=row.opt_text("status") or "",
        points=row.number("points", 0.0),
        laps=row.opt_integer("laps", 0) or 0,
        fastest_lap_rank=fastest.opt_integer("rank") if fastest else None,
        constructor_ref=constructor.text("constructorId") if constructor else None,
        number=row.opt_integer("number"),
    )


def _qualifying_row(row: Node) -> QualifyingRow:
    constructor = row.opt_obj("Constructor")
    return QualifyingRow(
        driver_ref=row.obj("Driver").text("driverId"),
        position=row.integer("position"),
        constructor_ref=constructor.text("constructorId") if constructor else None,
        number=row.opt_integer("number"),
    )


def _round_rows(pages: Pages | None, key: str, season: int, round_: int) -> list[Node]:
    if pages is None:
        return []
    rows: list[Node] = []
    for race, race_rows in merge_races(pages, key):
        if (race.integer("season"), race.integer("round")) != (season, round_):
            raise malformed(race.path, f"is not {season} round {round_}")
        rows.extend(race_rows)
    seen: set[str] = set()
    unique = []
    for row in rows:  # a row repeated across pages counts once
        ref = row.obj("Driver").text("driverId")
        if ref not in seen:
            seen.add(ref)
            unique.append(row)
    return unique


def parse_results(pages: Pages, season: int, round_: int) -> tuple[ResultRow, ...]:
    """Race results of one round, in published order (empty until published)."""
    rows = [_result_row(r) for r in _round_rows(pages, "Results", season, round_)]
    return tuple(sorted(rows, key=lambda r: r.position))


def parse_sprint(pages: Pages, season: int, round_: int) -> tuple[ResultRow, ...]:
    """Sprint results of one round (empty on non-sprint weekends)."""
    rows = [_result_row(r) for r in _round_rows(pages, "SprintResults", season, round_)]
    return tuple(sorted(rows, key=lambda r: r.position))


def parse_qualifying(pages: Pages, season: int, round_: int) -> tuple[QualifyingRow, ...]:
    """Qualifying classification of one round."""
    rows = [_qualifying_row(r) for r in _round_rows(pages, "QualifyingResults", season, round_)]
    return tuple(sorted(rows, key=lambda r: r.position))


def parse_weekend(
    season: int,
    round_: int,
    results: Pages,
    sprint: Pages | None = None,
    qualifying: Pages | None = None,
) -> WeekendResults:
    """The weekend classification plus every driver and constructor its rows name."""
    drivers: dict[str, DriverInfo] = {}
    teams: dict[str, ConstructorInfo] = {}
    for key, pages in (
        ("Results", results),
        ("SprintResults", sprint),
        ("QualifyingResults", qualifying),
    ):
        for row in _round_rows(pages, key, season, round_):
            driver = parse_driver(row.obj("Driver"))
            drivers.setdefault(driver.ref, driver)
            team = row.opt_obj("Constructor")
            if team is not None:
                constructor = parse_constructor(team)
                teams.setdefault(constructor.ref, constructor)
    classification = Classification(
        season=season,
        round=round_,
        race=parse_results(results, season, round_),
        sprint=parse_sprint(sprint, season, round_) if sprint is not None else (),
        qualifying=parse_qualifying(qualifying, season, round_) if qualifying is not None else (),
        driver_names=tuple(sorted((ref, d.full_name) for ref, d in drivers.items())),
    )
    return WeekendResults(classification, tuple(drivers.values()), tuple(teams.values()))


def parse_classification(
    season: int,
    round_: int,
    results: Pages,
    sprint: Pages | None = None,
    qualifying: Pages | None = None,
) -> Classification:
    """The weekend classification from the results, sprint and qualifying payloads."""
    return parse_weekend(season, round_, results, sprint, qualifying).classification


def parse_driver_standings(pages: Pages) -> DriverStandings | None:
    """``/{season}/driverstandings.json`` -> the latest standings (None before round 1)."""
    lists = _table_rows(pages, "StandingsTable", "StandingsLists")
    if not lists:
        return None
    season, round_ = lists[-1].integer("season"), lists[-1].integer("round")
    rows: dict[str, DriverStanding] = {}
    for standings in lists:
        if (standings.integer("season"), standings.integer("round")) != (season, round_):
            continue
        for row in standings.objs("DriverStandings"):
            driver = parse_driver(row.obj("Driver"))
            rows.setdefault(
                driver.ref,
                DriverStanding(
                    position=row.opt_integer("position"),
                    position_text=row.opt_text("positionText") or row.opt_text("position") or "-",
                    points=row.number("points", 0.0),
                    wins=row.opt_integer("wins", 0) or 0,
                    driver=driver,
                    constructor_refs=tuple(
                        c.text("constructorId") for c in row.objs("Constructors", required=False)
                    ),
                ),
            )
    return DriverStandings(season=season, round=round_, rows=tuple(rows.values()))

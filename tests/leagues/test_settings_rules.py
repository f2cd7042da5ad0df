"""League settings validation (pure rules, table-driven)."""

from __future__ import annotations

from typing import Any

import pytest

from draftroom.domain.league_settings import (
    LeagueSettings,
    check_pool_size,
    draft_bound_changes,
    parse_settings,
    validate_max_teams,
)
from draftroom.errors import ValidationFailed


def test_defaults_are_the_spec_defaults() -> None:
    assert parse_settings(None).to_dict() == {
        "draft_type": "snake",
        "pick_seconds": 60,
        "picks_per_team": 2,
        "order_policy": "rotate",
        "draft_opens_hours_before": 48,
        "captain_multiplier": 1.5,
        "scoring": {},
        "spectators": "members",
        "substitutes": "seat",
        "spectator_chat": False,
        "quiet_hours": None,
        "slow_draft_notifications": True,
    }


@pytest.mark.parametrize(
    ("raw", "key", "expected"),
    [
        ({"draft_type": "linear"}, "draft_type", "linear"),
        ({"substitutes": "driver"}, "substitutes", "driver"),
        ({"substitutes": "seat"}, "substitutes", "seat"),
        ({"draft_type": "auto"}, "draft_type", "auto"),
        ({"pick_seconds": 5}, "pick_seconds", 5),
        ({"pick_seconds": 600}, "pick_seconds", 600),
        ({"pick_seconds": 86400}, "pick_seconds", 86400),
        (
            {"quiet_hours": {"start": "23:00", "end": "08:00", "tz": "Europe/Berlin"}},
            "quiet_hours",
            {"start": "23:00", "end": "08:00", "tz": "Europe/Berlin"},
        ),
        ({"picks_per_team": 1}, "picks_per_team", 1),
        ({"picks_per_team": 4}, "picks_per_team", 4),
        ({"order_policy": "reverse_standings"}, "order_policy", "reverse_standings"),
        ({"order_policy": "random"}, "order_policy", "random"),
        ({"draft_opens_hours_before": 0}, "draft_opens_hours_before", 0),
        ({"draft_opens_hours_before": 336}, "draft_opens_hours_before", 336),
        ({"captain_multiplier": 1}, "captain_multiplier", 1.0),
        ({"captain_multiplier": 3.0}, "captain_multiplier", 3.0),
        ({"captain_multiplier": 2.25}, "captain_multiplier", 2.25),
        ({"spectators": "public"}, "spectators", "public"),
        ({"scoring": {"pole": 3}}, "scoring", {"pole": 3}),
        ({"scoring": {"race": [10, 5]}}, "scoring", {"race": [10, 5]}),
        (
            {"scoring": {"fastest_lap_top10_only": True}},
            "scoring",
            {"fastest_lap_top10_only": True},
        ),
    ],
)
def test_valid_values_are_kept(raw: dict[str, Any], key: str, expected: Any) -> None:
    assert getattr(parse_settings(raw), key) == expected


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"draft_type": "serpentine"}, "settings.draft_type"),
        ({"draft_type": 1}, "settings.draft_type"),
        ({"pick_seconds": 4}, "settings.pick_seconds"),
        ({"pick_seconds": 86401}, "settings.pick_seconds"),
        (
            {"quiet_hours": {"start": "23:00", "end": "08:00", "tz": "Nowhere/City"}},
            "settings.quiet_hours.tz",
        ),
        ({"quiet_hours": {"start": "23:00", "end": "8", "tz": "UTC"}}, "settings.quiet_hours.end"),
        ({"quiet_hours": "nights"}, "settings.quiet_hours"),
        ({"pick_seconds": "60"}, "settings.pick_seconds"),
        ({"pick_seconds": 60.0}, "settings.pick_seconds"),
        ({"pick_seconds": True}, "settings.pick_seconds"),
        ({"picks_per_team": 0}, "settings.picks_per_team"),
        ({"picks_per_team": 5}, "settings.picks_per_team"),
        ({"order_policy": "alphabetical"}, "settings.order_policy"),
        ({"draft_opens_hours_before": -1}, "settings.draft_opens_hours_before"),
        ({"draft_opens_hours_before": 337}, "settings.draft_opens_hours_before"),
        ({"captain_multiplier": 0.99}, "settings.captain_multiplier"),
        ({"captain_multiplier": 3.01}, "settings.captain_multiplier"),
        ({"captain_multiplier": "2"}, "settings.captain_multiplier"),
        ({"captain_multiplier": False}, "settings.captain_multiplier"),
        ({"spectators": "everyone"}, "settings.spectators"),
        ({"substitutes": "bench"}, "settings.substitutes"),
        ({"substitutes": 1}, "settings.substitutes"),
        ({"scoring": []}, "settings.scoring"),
        ({"scoring": {"bonus": 1}}, "settings.scoring.bonus"),
        ({"scoring": {"dnf": 5}}, "settings.scoring.dnf"),
        ({"scoring": {"race": "25,18"}}, "settings.scoring.race"),
        ({"unknown_key": 1}, "settings.unknown_key"),
    ],
)
def test_invalid_values_are_refused_with_the_field(raw: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_settings(raw)
    assert field in [d["field"] for d in caught.value.details]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_settings({"pick_seconds": 1, "draft_type": "x", "nope": 1})
    assert {d["field"] for d in caught.value.details} == {
        "settings.pick_seconds",
        "settings.draft_type",
        "settings.nope",
    }


@pytest.mark.parametrize("raw", [[], "snake", 3])
def test_settings_must_be_an_object(raw: Any) -> None:
    with pytest.raises(ValidationFailed):
        parse_settings(raw)


def test_a_patch_keeps_unsent_keys_and_null_resets_to_default() -> None:
    base = parse_settings({"pick_seconds": 30, "draft_type": "linear", "scoring": {"pole": 2}})
    patched = parse_settings({"pick_seconds": None, "spectators": "public"}, base=base)
    assert patched.pick_seconds == 60
    assert patched.draft_type == "linear"
    assert patched.spectators == "public"
    assert patched.scoring == {"pole": 2}


def test_scoring_patch_merges_by_key_and_null_removes_an_override() -> None:
    base = parse_settings({"scoring": {"pole": 2, "dnf": -3}})
    patched = parse_settings({"scoring": {"pole": None, "dsq": -20}}, base=base)
    assert patched.scoring == {"dnf": -3, "dsq": -20}
    assert patched.scoring_table().dsq == -20
    assert patched.scoring_table().pole == 1


def test_stored_settings_round_trip() -> None:
    settings = parse_settings({"captain_multiplier": 2, "scoring": {"race": [1]}})
    assert LeagueSettings.from_stored(settings.to_dict()) == settings
    assert LeagueSettings.from_stored({}) == LeagueSettings()


@pytest.mark.parametrize(
    ("value", "ok"),
    [(2, True), (11, True), (1, False), (12, False), ("5", False), (5.0, False), (True, False)],
)
def test_max_teams_range(value: Any, ok: bool) -> None:
    if ok:
        assert validate_max_teams(value) == value
    else:
        with pytest.raises(ValidationFailed):
            validate_max_teams(value)


@pytest.mark.parametrize(
    ("teams", "picks", "drivers", "ok"),
    [(11, 2, 22, True), (11, 2, 21, False), (5, 4, 20, True), (6, 4, 20, False), (2, 1, 2, True)],
)
def test_pool_size(teams: int, picks: int, drivers: int, ok: bool) -> None:
    if ok:
        check_pool_size(teams, picks, drivers)
    else:
        with pytest.raises(ValidationFailed):
            check_pool_size(teams, picks, drivers)


@pytest.mark.parametrize(
    ("patch", "changed"),
    [
        ({"pick_seconds": 30}, ["pick_seconds"]),
        ({"draft_type": "linear", "picks_per_team": 3}, ["draft_type", "picks_per_team"]),
        ({"order_policy": "random"}, ["order_policy"]),
        ({"captain_multiplier": 2.0, "spectators": "public"}, []),
        ({"scoring": {"pole": 5}, "draft_opens_hours_before": 1}, []),
        ({"pick_seconds": 60}, []),
    ],
)
def test_draft_bound_changes(patch: dict[str, Any], changed: list[str]) -> None:
    old = LeagueSettings()
    assert draft_bound_changes(old, parse_settings(patch, base=old)) == changed

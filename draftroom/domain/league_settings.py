"""League settings (SPEC section 1 "League"): defaults, ranges and validation.

Pure rules: settings arrive as decoded JSON and leave as a frozen :class:`LeagueSettings`;
every problem is reported at once as ``ValidationFailed`` with
``details = [{"field": "settings.<key>", "message": ...}]``.

Decisions beyond the SPEC's words:

- Unknown keys are refused (a typo must not silently keep the default).
- Integers must be JSON integers (``60``, not ``60.0``, ``"60"`` or ``true``).
- An update is a JSON merge patch (RFC 7396): keys not sent keep their value, ``null``
  resets a key to its default, and ``scoring`` merges key by key (``null`` removes an
  override).
- ``scoring`` is stored as the league's overrides only; :meth:`LeagueSettings.scoring_table`
  gives the full table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from draftroom.domain.quiet_hours import parse_quiet_hours
from draftroom.domain.scoring import ScoringTable
from draftroom.errors import ValidationFailed

DRAFT_TYPES = ("snake", "linear", "auto")
ORDER_POLICIES = ("rotate", "reverse_standings", "random")
SPECTATOR_MODES = ("members", "public")
SUBSTITUTE_POLICIES = ("seat", "driver")
MIN_TEAMS, MAX_TEAMS = 2, 11
PICK_SECONDS = (5, 86_400)
PICKS_PER_TEAM = (1, 4)
DRAFT_OPENS_HOURS_BEFORE = (0, 336)
CAPTAIN_MULTIPLIER = (1.0, 3.0)

SLOW_CLOCK_S = 600
"""Clocks longer than this make a slow draft (on-the-clock and on-deck notifications)."""

DRAFT_BOUND_KEYS = frozenset({"draft_type", "pick_seconds", "picks_per_team", "order_policy"})
"""Settings a draft in progress depends on: they may not change while one is live or paused."""

Problems = list[dict[str, str]]


@dataclass(frozen=True)
class LeagueSettings:
    """A league's validated settings; ``LeagueSettings()`` holds the SPEC defaults."""

    draft_type: str = "snake"
    pick_seconds: int = 60
    picks_per_team: int = 2
    order_policy: str = "rotate"
    draft_opens_hours_before: int = 48
    captain_multiplier: float = 1.5
    scoring: dict[str, Any] = field(default_factory=dict)
    """Overrides of the default scoring table (validated keys only)."""
    spectators: str = "members"
    substitutes: str = "seat"
    """What a drafted driver who did not take part scores: his substitute's points ("seat")
    or nothing ("driver")."""
    spectator_chat: bool = False
    """Spectators (who are not members) may read the draft room's chat."""
    quiet_hours: dict[str, str] | None = None
    """``{start, end, tz}``: the pick clock stands still then (see domain.quiet_hours)."""
    slow_draft_notifications: bool = True
    """With clocks over SLOW_CLOCK_S: notify owners on the clock and on deck."""

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        """Every setting name."""
        return tuple(f.name for f in fields(cls))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready settings (what is stored and served)."""
        out = {key: getattr(self, key) for key in self.keys()}
        out["scoring"] = dict(self.scoring)
        return out

    def scoring_table(self) -> ScoringTable:
        """The full scoring table of this league (defaults with the overrides)."""
        return ScoringTable.with_overrides(self.scoring)

    @classmethod
    def from_stored(cls, raw: Mapping[str, Any] | None) -> LeagueSettings:
        """Settings as stored on a league row (validated on write; unknown keys ignored)."""
        known = set(cls.keys())
        values = {k: v for k, v in (raw or {}).items() if k in known and v is not None}
        if "captain_multiplier" in values:
            values["captain_multiplier"] = float(values["captain_multiplier"])
        if "scoring" in values:
            values["scoring"] = dict(values["scoring"])
        return cls(**values)


def _integer(name: str, raw: Any, bounds: tuple[int, int], problems: Problems) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int):
        problems.append({"field": name, "message": "must be an integer"})
        return None
    lo, hi = bounds
    if not lo <= raw <= hi:
        problems.append({"field": name, "message": f"must be between {lo} and {hi}"})
        return None
    return raw


def _choice(name: str, raw: Any, choices: tuple[str, ...], problems: Problems) -> str | None:
    if not isinstance(raw, str) or raw not in choices:
        problems.append({"field": name, "message": f"must be one of {', '.join(choices)}"})
        return None
    return raw


def _flag(name: str, raw: Any, problems: Problems) -> bool | None:
    if not isinstance(raw, bool):
        problems.append({"field": name, "message": "must be true or false"})
        return None
    return raw


def _multiplier(name: str, raw: Any, problems: Problems) -> float | None:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
        problems.append({"field": name, "message": "must be a number"})
        return None
    lo, hi = CAPTAIN_MULTIPLIER
    if not lo <= raw <= hi:
        problems.append({"field": name, "message": f"must be between {lo} and {hi}"})
        return None
    return float(raw)


def _scoring(name: str, raw: Any, base: Mapping[str, Any], problems: Problems) -> dict | None:
    if not isinstance(raw, Mapping):
        problems.append({"field": name, "message": "must be an object"})
        return None
    merged = {**base, **raw}
    overrides = {str(k): v for k, v in merged.items() if v is not None}
    try:
        ScoringTable.with_overrides(overrides)
    except ValidationFailed as error:
        details = error.details if isinstance(error.details, list) else []
        problems.extend(
            {"field": f"settings.{d['field']}", "message": d["message"]} for d in details
        )
        return None
    return {k: list(v) if isinstance(v, tuple) else v for k, v in overrides.items()}


def parse_settings(raw: Any, *, base: LeagueSettings | None = None) -> LeagueSettings:
    """Validate ``raw`` (a JSON object, or None) as a merge patch over ``base`` (or defaults)."""
    current = base if base is not None else LeagueSettings()
    if raw is None:
        return current
    if not isinstance(raw, Mapping):
        raise ValidationFailed(
            "Settings must be an object.",
            details=[{"field": "settings", "message": "must be an object"}],
        )
    defaults = LeagueSettings()
    values = current.to_dict()
    problems: Problems = []
    for key, value in raw.items():
        name = f"settings.{key}"
        if key not in values:
            problems.append({"field": name, "message": "unknown setting"})
            continue
        if value is None:
            values[key] = getattr(defaults, key)
            continue
        clean = _validate(key, name, value, current, problems)
        if clean is not None:
            values[key] = clean
    if problems:
        raise ValidationFailed("Invalid league settings.", details=problems)
    return LeagueSettings(**values)


def _validate(key: str, name: str, value: Any, current: LeagueSettings, problems: Problems) -> Any:
    if key == "draft_type":
        return _choice(name, value, DRAFT_TYPES, problems)
    if key == "order_policy":
        return _choice(name, value, ORDER_POLICIES, problems)
    if key == "spectators":
        return _choice(name, value, SPECTATOR_MODES, problems)
    if key == "substitutes":
        return _choice(name, value, SUBSTITUTE_POLICIES, problems)
    if key == "pick_seconds":
        return _integer(name, value, PICK_SECONDS, problems)
    if key == "picks_per_team":
        return _integer(name, value, PICKS_PER_TEAM, problems)
    if key == "draft_opens_hours_before":
        return _integer(name, value, DRAFT_OPENS_HOURS_BEFORE, problems)
    if key == "captain_multiplier":
        return _multiplier(name, value, problems)
    if key in ("spectator_chat", "slow_draft_notifications"):
        return _flag(name, value, problems)
    if key == "quiet_hours":
        try:
            parsed = parse_quiet_hours(value, name)
        except ValidationFailed as error:
            problems.extend(error.details)
            return None
        return parsed.to_dict() if parsed else None
    return _scoring(name, value, current.scoring, problems)


def validate_max_teams(value: Any) -> int:
    """``max_teams`` as an integer in 2..11, else ValidationFailed."""
    problems: Problems = []
    clean = _integer("max_teams", value, (MIN_TEAMS, MAX_TEAMS), problems)
    if clean is None:
        raise ValidationFailed("Invalid max_teams.", details=problems)
    return clean


def check_pool_size(max_teams: int, picks_per_team: int, active_drivers: int) -> None:
    """``max_teams * picks_per_team`` must not exceed the season's active drivers."""
    if max_teams * picks_per_team > active_drivers:
        raise ValidationFailed(
            f"{max_teams} teams x {picks_per_team} picks needs {max_teams * picks_per_team} "
            f"drivers; the season has {active_drivers} active drivers.",
            details=[
                {
                    "field": "max_teams",
                    "message": "max_teams * picks_per_team exceeds the season's active drivers",
                }
            ],
        )


def draft_bound_changes(old: LeagueSettings, new: LeagueSettings) -> list[str]:
    """The draft-bound settings that differ between ``old`` and ``new`` (sorted)."""
    return sorted(key for key in DRAFT_BOUND_KEYS if getattr(old, key) != getattr(new, key))

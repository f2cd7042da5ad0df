"""Canonical serialisation of a classification, its content hash, and revision diffs.

``classification_to_dict`` is deterministic: rows are sorted by (position, driver_ref) so
row order is not significant, points are normalised to floats, fields that are ``None``
are left out (so a new optional row field does not change existing hashes), and
``driver_names`` (presentation only, not part of equality) are left out of the hash.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from typing import Any, Generic, TypeVar

from draftroom.domain.classification import Classification, QualifyingRow, ResultRow
from draftroom.domain.scoring import DSQ_TEXTS, DriverPoints, round_points
from draftroom.errors import ValidationFailed

K = TypeVar("K", bound=Hashable)
SESSIONS = ("race", "sprint")
MAX_MOVES_IN_REASON = 3


def _row_dict(row: ResultRow | QualifyingRow) -> dict[str, Any]:
    out = {k: v for k, v in asdict(row).items() if v is not None}
    if isinstance(row, ResultRow):
        out["points"] = float(row.points)
    return out


def classification_to_dict(c: Classification, *, include_names: bool = True) -> dict[str, Any]:
    """A JSON-ready, deterministic dict of ``c`` (inverse of ``classification_from_dict``)."""
    out: dict[str, Any] = {
        "season": c.season,
        "round": c.round,
        "race": [_row_dict(r) for r in sorted(c.race, key=lambda r: (r.position, r.driver_ref))],
        "sprint": [
            _row_dict(r) for r in sorted(c.sprint, key=lambda r: (r.position, r.driver_ref))
        ],
        "qualifying": [
            _row_dict(q) for q in sorted(c.qualifying, key=lambda q: (q.position, q.driver_ref))
        ],
    }
    if include_names:
        out["driver_names"] = dict(sorted(c.driver_names))
    return out


def classification_from_dict(data: Mapping[str, Any]) -> Classification:
    """Rebuild a :class:`Classification` from ``classification_to_dict`` output."""
    try:
        return Classification(
            season=int(data["season"]),
            round=int(data["round"]),
            race=tuple(ResultRow(**row) for row in data.get("race", ())),
            sprint=tuple(ResultRow(**row) for row in data.get("sprint", ())),
            qualifying=tuple(QualifyingRow(**row) for row in data.get("qualifying", ())),
            driver_names=tuple(sorted(dict(data.get("driver_names") or {}).items())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ValidationFailed(f"Not a stored classification: {exc}") from exc


def canonical_json(c: Classification) -> str:
    """Compact, key-sorted JSON of the classification without driver names."""
    return json.dumps(
        classification_to_dict(c, include_names=False),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=True,
        allow_nan=False,
    )


def classification_hash(c: Classification) -> str:
    """sha256 hex digest of :func:`canonical_json`: equal content, equal hash."""
    return hashlib.sha256(canonical_json(c).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class PositionChange:
    """A row whose classification changed; ``None`` on the side where the row is absent."""

    session: str  # "race" | "sprint" | "qualifying"
    driver_ref: str
    old_position: int | None
    new_position: int | None
    old_text: str | None
    new_text: str | None


@dataclass(frozen=True)
class FieldChange:
    """One field of a row that changed (``status`` or ``grid``)."""

    session: str
    driver_ref: str
    field: str
    old: str | int | None
    new: str | int | None


@dataclass(frozen=True)
class ClassificationDiff:
    """What changed between two revisions, with a human-readable ``reason``."""

    changed: bool
    reason: str
    moved: tuple[PositionChange, ...] = ()
    disqualified: tuple[PositionChange, ...] = ()
    reinstated: tuple[PositionChange, ...] = ()
    added: tuple[PositionChange, ...] = ()
    removed: tuple[PositionChange, ...] = ()
    status_changes: tuple[FieldChange, ...] = ()
    grid_changes: tuple[FieldChange, ...] = ()
    qualifying: tuple[PositionChange, ...] = ()
    fastest_lap: tuple[str | None, str | None] | None = None  # (old driver, new driver)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (for storing with a revision)."""
        out = asdict(self)
        out["fastest_lap"] = list(self.fastest_lap) if self.fastest_lap else None
        return out


def _fastest(c: Classification) -> str | None:
    return next((r.driver_ref for r in c.race if r.fastest_lap_rank == 1), None)


def _change(session: str, ref: str, old: ResultRow | None, new: ResultRow | None) -> PositionChange:
    return PositionChange(
        session,
        ref,
        old.position if old else None,
        new.position if new else None,
        old.position_text if old else None,
        new.position_text if new else None,
    )


def diff(old: Classification, new: Classification) -> ClassificationDiff:
    """Compare two revisions of one race's classification."""
    lists: dict[str, list[Any]] = {
        k: [] for k in ("moved", "disqualified", "reinstated", "added", "removed", "status", "grid")
    }
    for session in SESSIONS:
        before = {r.driver_ref: r for r in getattr(old, session)}
        after = {r.driver_ref: r for r in getattr(new, session)}
        for ref in sorted(before.keys() | after.keys(), key=lambda x: _order(x, after, before)):
            o, n = before.get(ref), after.get(ref)
            if o is None or n is None:
                lists["added" if o is None else "removed"].append(_change(session, ref, o, n))
                continue
            was_dsq, is_dsq = o.position_text in DSQ_TEXTS, n.position_text in DSQ_TEXTS
            if is_dsq and not was_dsq:
                lists["disqualified"].append(_change(session, ref, o, n))
            elif was_dsq and not is_dsq:
                lists["reinstated"].append(_change(session, ref, o, n))
            elif o.position_text != n.position_text or (n.classified and o.position != n.position):
                lists["moved"].append(_change(session, ref, o, n))
            if o.status != n.status:
                lists["status"].append(FieldChange(session, ref, "status", o.status, n.status))
            if o.grid != n.grid:
                lists["grid"].append(FieldChange(session, ref, "grid", o.grid, n.grid))
    quali = _qualifying_changes(old, new)
    fastest = (_fastest(old), _fastest(new))
    result = ClassificationDiff(
        changed=classification_hash(old) != classification_hash(new),
        reason="",
        moved=tuple(lists["moved"]),
        disqualified=tuple(lists["disqualified"]),
        reinstated=tuple(lists["reinstated"]),
        added=tuple(lists["added"]),
        removed=tuple(lists["removed"]),
        status_changes=tuple(lists["status"]),
        grid_changes=tuple(lists["grid"]),
        qualifying=quali,
        fastest_lap=fastest if fastest[0] != fastest[1] else None,
    )
    names = {**dict(old.driver_names), **dict(new.driver_names)}
    return _with_reason(result, names)


def _order(ref: str, *maps: Mapping[str, ResultRow]) -> tuple[int, str]:
    row = next((m[ref] for m in maps if ref in m), None)
    return (row.position if row else 0, ref)


def _qualifying_changes(old: Classification, new: Classification) -> tuple[PositionChange, ...]:
    before = {q.driver_ref: q.position for q in old.qualifying}
    after = {q.driver_ref: q.position for q in new.qualifying}
    refs = sorted(before.keys() | after.keys(), key=lambda r: (after.get(r, 0), r))
    return tuple(
        PositionChange(
            "qualifying",
            ref,
            before.get(ref),
            after.get(ref),
            None if before.get(ref) is None else str(before[ref]),
            None if after.get(ref) is None else str(after[ref]),
        )
        for ref in refs
        if before.get(ref) != after.get(ref)
    )


_TEXT_LABELS = {"R": "DNF", "N": "DNF", "W": "DNS", "D": "DSQ", "E": "DSQ", "F": "DNQ"}


def _label(text: str | None) -> str:
    if text is None:
        return "none"
    return f"P{text}" if text.isdigit() else _TEXT_LABELS.get(text, text)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _with_reason(d: ClassificationDiff, names: Mapping[str, str]) -> ClassificationDiff:
    def name(ref: str | None) -> str:
        return "nobody" if ref is None else names.get(ref, ref)

    def where(session: str) -> str:
        return "" if session == "race" else f" in the {session}"

    parts = [f"{name(c.driver_ref)} disqualified{where(c.session)}" for c in d.disqualified]
    parts += [
        f"{name(c.driver_ref)} reinstated{where(c.session)} ({_label(c.new_text)})"
        for c in d.reinstated
    ]
    moves = d.moved
    parts += [
        f"{name(c.driver_ref)} {_label(c.old_text)} → {_label(c.new_text)}{where(c.session)}"
        for c in moves[:MAX_MOVES_IN_REASON]
    ]
    if len(moves) > MAX_MOVES_IN_REASON:
        parts.append(f"{_plural(len(moves) - MAX_MOVES_IN_REASON, 'more position change')}")
    for session in SESSIONS:
        for verb, items in (("added", d.added), ("removed", d.removed)):
            count = sum(1 for c in items if c.session == session)
            if count:
                parts.append(f"{_plural(count, f'{session} result')} {verb}")
    if d.fastest_lap:
        parts.append(f"Fastest lap {name(d.fastest_lap[0])} → {name(d.fastest_lap[1])}")
    pole = [c for c in d.qualifying if c.new_position == 1 or c.old_position == 1]
    new_pole = next((c.driver_ref for c in pole if c.new_position == 1), None)
    if pole:
        old_pole = next((c.driver_ref for c in pole if c.old_position == 1), None)
        parts.append(f"Pole {name(old_pole)} → {name(new_pole)}")
    elif d.qualifying:
        parts.append(f"Qualifying changed for {_plural(len(d.qualifying), 'driver')}")
    if d.grid_changes:
        parts.append(f"Grid changed for {_plural(len(d.grid_changes), 'driver')}")
    if not parts and d.status_changes:
        c = d.status_changes[0]
        parts.append(f"{name(c.driver_ref)} status {c.old} → {c.new}{where(c.session)}")
    if not parts and d.changed:
        parts.append("Classification details updated")
    return replace(d, reason="; ".join(parts))


@dataclass(frozen=True)
class PointsChange(Generic[K]):
    """A driver (or team) whose points differ between two scorings."""

    key: K
    old: float
    new: float

    @property
    def delta(self) -> float:
        """``new - old``, to one decimal."""
        return float(round_points(Decimal(str(self.new)) - Decimal(str(self.old))))


def points_changes(
    old_points: Mapping[K, DriverPoints | float], new_points: Mapping[K, DriverPoints | float]
) -> tuple[PointsChange[K], ...]:
    """Every key whose total changed (a missing key counts as 0), sorted by key."""

    def total(m: Mapping[K, DriverPoints | float], key: K) -> float:
        v = m.get(key, 0.0)
        return float(round_points(v.total if isinstance(v, DriverPoints) else v))

    keys = sorted(old_points.keys() | new_points.keys(), key=str)
    changes = [PointsChange(k, total(old_points, k), total(new_points, k)) for k in keys]
    return tuple(c for c in changes if c.old != c.new)

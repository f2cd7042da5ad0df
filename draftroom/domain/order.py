"""Who picks when: the pick order (snake / linear / auto) and the first-round draft order.

Pick order: ``pick_no`` runs 1..N with N = teams * picks_per_team and
``round = ceil(pick_no / teams)``. Snake reverses the first-round order in even rounds,
linear repeats it, ``auto`` uses snake order (every pick is an autopick).

Draft order (the first-round order of one draft) per the league's ``order_policy``:

- ``rotate``: a base order is shuffled with a seed when the league's first draft is
  created (store it on the league); draft k uses the base order rotated left by k-1.
- ``reverse_standings``: last place picks first; equal points: the earlier joiner first.
- ``random``: a fresh shuffle with a seed recorded on the draft, so it is reproducible.

Shuffles sort the team ids first, so the result depends only on the set of teams and the
seed, never on the order the caller happened to load them in.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from draftroom.errors import ValidationFailed

DraftType = Literal["snake", "linear", "auto"]
OrderPolicy = Literal["rotate", "reverse_standings", "random"]
DRAFT_TYPES: tuple[DraftType, ...] = ("snake", "linear", "auto")
ORDER_POLICIES: tuple[OrderPolicy, ...] = ("rotate", "reverse_standings", "random")


# --- pick order -----------------------------------------------------------------------


def total_picks(n_teams: int, picks_per_team: int) -> int:
    """Number of picks in a draft: teams * picks_per_team."""
    if n_teams < 1 or picks_per_team < 1:
        raise ValidationFailed("A draft needs at least one team and one pick per team.")
    return n_teams * picks_per_team


def round_of(pick_no: int, n_teams: int) -> int:
    """The round of ``pick_no`` (1-based): ceil(pick_no / n_teams)."""
    if n_teams < 1:
        raise ValidationFailed("A draft needs at least one team.")
    if pick_no < 1:
        raise ValidationFailed("pick_no starts at 1.")
    return (pick_no - 1) // n_teams + 1


def team_for_pick(order: Sequence[int], pick_no: int, draft_type: str) -> int:
    """The team that makes pick ``pick_no`` given the first-round ``order``."""
    if draft_type not in DRAFT_TYPES:
        raise ValidationFailed(f"Unknown draft_type {draft_type!r}.")
    n = len(order)
    rnd = round_of(pick_no, n)
    index = (pick_no - 1) % n
    if draft_type != "linear" and rnd % 2 == 0:
        index = n - 1 - index
    return order[index]


def pick_sequence(order: Sequence[int], picks_per_team: int, draft_type: str) -> tuple[int, ...]:
    """The team of every pick 1..N, in pick order."""
    n = total_picks(len(order), picks_per_team)
    return tuple(team_for_pick(order, p, draft_type) for p in range(1, n + 1))


# --- draft order per order_policy -----------------------------------------------------------


def new_seed() -> int:
    """A fresh random seed (63 bits) to record on a league or draft."""
    return secrets.randbits(63)


def _distinct(teams: Iterable[int]) -> tuple[int, ...]:
    out = tuple(teams)
    if not out:
        raise ValidationFailed("A draft order needs at least one team.")
    if len(set(out)) != len(out):
        raise ValidationFailed("A team appears twice in the draft order.")
    return out


def shuffled(teams: Iterable[int], seed: int) -> tuple[int, ...]:
    """The team ids shuffled reproducibly by ``seed`` (independent of input order)."""
    out = sorted(_distinct(teams))
    random.Random(seed).shuffle(out)
    return tuple(out)


def rotate_order(
    base_order: Sequence[int], draft_no: int, teams: Sequence[int] | None = None
) -> tuple[int, ...]:
    """Draft ``draft_no`` (1-based) of a ``rotate`` league: base order rotated left by k-1.

    When ``teams`` (current teams, join order) is given, teams that left are dropped from
    the base order and teams that joined after it was drawn are appended in join order.
    """
    if draft_no < 1:
        raise ValidationFailed("draft_no starts at 1.")
    base = list(_distinct(base_order))
    if teams is not None:
        current = _distinct(teams)
        members = set(current)
        base = [t for t in base if t in members] + [t for t in current if t not in set(base)]
        if not base:
            raise ValidationFailed("A draft order needs at least one team.")
    k = (draft_no - 1) % len(base)
    return tuple(base[k:] + base[:k])


def reverse_standings_order(teams: Sequence[int], points: Mapping[int, float]) -> tuple[int, ...]:
    """Last place first: fewest points first, equal points in join order.

    ``teams`` are the league's teams in join order; a team missing from ``points`` has 0.
    """
    current = _distinct(teams)
    joined = {t: i for i, t in enumerate(current)}
    return tuple(sorted(current, key=lambda t: (points.get(t, 0), joined[t])))


def random_order(teams: Iterable[int], seed: int) -> tuple[int, ...]:
    """A ``random``-policy order: the teams shuffled by ``seed``."""
    return shuffled(teams, seed)


@dataclass(frozen=True, slots=True)
class OrderChoice:
    """The outcome of :func:`draft_order`.

    ``order`` is the draft's first-round order; ``seed`` the seed used (record it on the
    draft), or None when no shuffle happened; ``base_order`` the league's rotate base order
    (store it on the league when it was just drawn), None for other policies.
    """

    order: tuple[int, ...]
    seed: int | None = None
    base_order: tuple[int, ...] | None = None


def draft_order(
    policy: str,
    teams: Sequence[int],
    *,
    seed: int | None = None,
    draft_no: int = 1,
    base_order: Sequence[int] | None = None,
    points: Mapping[int, float] | None = None,
) -> OrderChoice:
    """The first-round order of a league's ``draft_no``-th draft under ``policy``.

    ``teams`` are the league's current teams in join order. ``seed`` is needed for
    ``random`` and for ``rotate`` when ``base_order`` is None (the league's first draft);
    pass :func:`new_seed` output. ``points`` are season standings points for
    ``reverse_standings``.
    """
    if policy == "rotate":
        if base_order is None:
            if seed is None:
                raise ValidationFailed("A seed is needed to draw the rotate base order.")
            base = shuffled(teams, seed)
            return OrderChoice(rotate_order(base, draft_no, teams), seed, base)
        base = tuple(base_order)
        return OrderChoice(rotate_order(base, draft_no, teams), None, base)
    if policy == "reverse_standings":
        return OrderChoice(reverse_standings_order(teams, points or {}))
    if policy == "random":
        if seed is None:
            raise ValidationFailed("A seed is needed for a random draft order.")
        return OrderChoice(random_order(teams, seed), seed)
    raise ValidationFailed(f"Unknown order_policy {policy!r}.")

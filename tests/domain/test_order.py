"""Pick order (snake / linear / auto) and draft order policies (rotate, reverse_standings,
random)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from draftroom.domain.order import (
    draft_order,
    pick_sequence,
    random_order,
    reverse_standings_order,
    rotate_order,
    round_of,
    shuffled,
    team_for_pick,
    total_picks,
)
from draftroom.errors import ValidationFailed

A, B, C, D = 11, 22, 33, 44


@pytest.mark.parametrize(
    ("order", "ppt", "draft_type", "expected"),
    [
        ((A,), 3, "snake", (A, A, A)),
        ((A, B), 4, "snake", (A, B, B, A, A, B, B, A)),
        ((A, B), 4, "linear", (A, B, A, B, A, B, A, B)),
        ((A, B, C), 2, "snake", (A, B, C, C, B, A)),
        ((A, B, C), 2, "linear", (A, B, C, A, B, C)),
        ((A, B, C), 2, "auto", (A, B, C, C, B, A)),
        ((A, B, C, D), 3, "snake", (A, B, C, D, D, C, B, A, A, B, C, D)),
        ((A, B, C, D), 3, "linear", (A, B, C, D) * 3),
        ((A, B, C, D), 3, "auto", (A, B, C, D, D, C, B, A, A, B, C, D)),
    ],
)
def test_pick_sequence_snake_reverses_even_rounds_linear_repeats(
    order: tuple[int, ...], ppt: int, draft_type: str, expected: tuple[int, ...]
) -> None:
    assert pick_sequence(order, ppt, draft_type) == expected


@pytest.mark.parametrize("n_teams", [2, 5, 8, 11])
@pytest.mark.parametrize("draft_type", ["snake", "linear", "auto"])
def test_every_team_picks_once_per_round(n_teams: int, draft_type: str) -> None:
    order = tuple(range(100, 100 + n_teams))
    seq = pick_sequence(order, 4, draft_type)
    for r in range(4):
        block = seq[r * n_teams : (r + 1) * n_teams]
        assert sorted(block) == sorted(order)
        reversed_round = draft_type != "linear" and r % 2 == 1
        assert block == (order[::-1] if reversed_round else order)


@pytest.mark.parametrize(
    ("pick_no", "n_teams", "expected"),
    [
        (1, 3, 1),
        (3, 3, 1),
        (4, 3, 2),
        (6, 3, 2),
        (7, 3, 3),
        (1, 1, 1),
        (5, 1, 5),
        (11, 11, 1),
        (12, 11, 2),
        (44, 11, 4),
    ],
)
def test_round_is_ceil_of_pick_over_teams(pick_no: int, n_teams: int, expected: int) -> None:
    assert round_of(pick_no, n_teams) == expected


@pytest.mark.parametrize(
    ("pick_no", "expected"),
    [(1, A), (11, D), (12, D), (22, A), (23, A), (33, D), (34, D), (44, A)],
)
def test_team_for_pick_snake_with_eleven_teams(pick_no: int, expected: int) -> None:
    order = (A, *range(1, 10), D)
    assert team_for_pick(order, pick_no, "snake") == expected


@pytest.mark.parametrize(("n_teams", "ppt", "expected"), [(1, 1, 1), (2, 2, 4), (11, 4, 44)])
def test_total_picks(n_teams: int, ppt: int, expected: int) -> None:
    assert total_picks(n_teams, ppt) == expected


@pytest.mark.parametrize(
    "call",
    [
        lambda: round_of(0, 3),
        lambda: round_of(1, 0),
        lambda: team_for_pick((A, B), 1, "random"),
        lambda: team_for_pick((), 1, "snake"),
        lambda: total_picks(0, 2),
        lambda: total_picks(2, 0),
    ],
)
def test_pick_order_rejects_bad_input(call: Callable[[], object]) -> None:
    with pytest.raises(ValidationFailed):
        call()


# --- rotate -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draft_no", "expected"),
    [(1, (A, B, C, D)), (2, (B, C, D, A)), (3, (C, D, A, B)), (4, (D, A, B, C)), (5, (A, B, C, D))],
)
def test_rotate_uses_base_rotated_left_by_k_minus_1(
    draft_no: int, expected: tuple[int, ...]
) -> None:
    assert rotate_order((A, B, C, D), draft_no) == expected


@pytest.mark.parametrize(
    ("base", "teams", "draft_no", "expected"),
    [
        ((A, B, C, D), (A, B, C), 2, (B, C, A)),  # D left the league
        ((A, B, C, D), (A, B, C, D, 55), 1, (A, B, C, D, 55)),  # 55 joined after the draw
        ((D, A, B, C), (D, 55, A), 2, (A, 55, D)),  # base filtered to (D, A), 55 appended
    ],
)
def test_rotate_follows_league_membership(
    base: tuple[int, ...], teams: tuple[int, ...], draft_no: int, expected: tuple[int, ...]
) -> None:
    assert rotate_order(base, draft_no, teams) == expected


@pytest.mark.parametrize("n_teams", [2, 3, 7, 11])
def test_rotate_gives_every_team_the_first_pick_in_turn(n_teams: int) -> None:
    teams = tuple(range(1, n_teams + 1))
    first = draft_order("rotate", teams, seed=99)
    assert first.base_order is not None and first.seed == 99
    firsts = {
        draft_order("rotate", teams, draft_no=k, base_order=first.base_order).order[0]
        for k in range(1, n_teams + 1)
    }
    assert firsts == set(teams)


@pytest.mark.parametrize("seed", [0, 1, 42, 2**62])
def test_rotate_first_draft_draws_a_reproducible_base_order(seed: int) -> None:
    teams = (A, B, C, D)
    one = draft_order("rotate", teams, seed=seed)
    two = draft_order("rotate", teams[::-1], seed=seed)
    assert one.base_order == two.base_order == one.order
    assert sorted(one.order) == sorted(teams)


# --- reverse standings ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("teams", "points", "expected"),
    [
        ((A, B, C, D), {A: 10, B: 30, C: 10, D: 5}, (D, A, C, B)),
        ((C, A, B), {A: 10, B: 10, C: 10}, (C, A, B)),  # all tied: join order
        ((A, B, C), {}, (A, B, C)),  # no standings yet
        ((A, B, C), {A: 3.5, C: 1.0}, (B, C, A)),  # B has no points: 0, last place
        ((A, B), {A: -2, B: 0}, (A, B)),
    ],
)
def test_reverse_standings_last_place_first_ties_earlier_join_first(
    teams: tuple[int, ...], points: dict[int, float], expected: tuple[int, ...]
) -> None:
    assert reverse_standings_order(teams, points) == expected
    assert draft_order("reverse_standings", teams, points=points).order == expected


# --- random ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("teams", "seed", "expected"),
    [((1, 2, 3, 4, 5), 42, (4, 2, 3, 5, 1)), (tuple(range(1, 9)), 7, (7, 8, 3, 5, 1, 4, 2, 6))],
)
def test_random_order_is_pinned_to_its_seed(
    teams: tuple[int, ...], seed: int, expected: tuple[int, ...]
) -> None:
    assert random_order(teams, seed) == expected
    assert random_order(teams[::-1], seed) == expected
    choice = draft_order("random", teams, seed=seed)
    assert (choice.order, choice.seed, choice.base_order) == (expected, seed, None)


def test_random_order_differs_between_seeds() -> None:
    teams = tuple(range(1, 9))
    orders = {shuffled(teams, seed) for seed in range(20)}
    assert len(orders) > 10
    assert all(sorted(o) == list(teams) for o in orders)


@pytest.mark.parametrize(
    "call",
    [
        lambda: draft_order("alphabetical", (A, B), seed=1),
        lambda: draft_order("random", (A, B)),
        lambda: draft_order("rotate", (A, B)),
        lambda: draft_order("random", (), seed=1),
        lambda: draft_order("random", (A, A), seed=1),
        lambda: rotate_order((A, B), 0),
        lambda: rotate_order((A, B), 1, ()),
    ],
)
def test_draft_order_rejects_bad_input(call: Callable[[], object]) -> None:
    with pytest.raises(ValidationFailed):
        call()

"""The command line of ``draftroom loadtest``: targets and spread."""

from __future__ import annotations

import pytest

from draftroom.loadtest.main import parser


def test_defaults_are_all_three_targets_and_the_league_spread() -> None:
    args = parser().parse_args([])
    assert args.targets == ("bare1", "bare", "draftroom")
    assert args.spread == "league"
    assert args.servers == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("draftroom,bare1", ("bare1", "draftroom")),  # always run in the canonical order
        ("bare", ("bare",)),
        (" draftroom , bare ", ("bare", "draftroom")),
    ],
)
def test_targets_run_in_order(text: str, expected: tuple[str, ...]) -> None:
    assert parser().parse_args(["--targets", text]).targets == expected


@pytest.mark.parametrize("argv", [["--targets", "bare2"], ["--targets", ""], ["--spread", "x"]])
def test_bad_values_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit):
        parser().parse_args(argv)

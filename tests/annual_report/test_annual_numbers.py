"""Rounding half up, largest-remainder shares, and numbers written in nb and en."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from hypothesis import given

from orbit_adapters.annual_report.numbers import (
    NumberFormat,
    largest_remainder,
    percent,
    round_half_up,
)
from strategies import counts_to_share, decimal_places, exact_numbers

NBSP = "\u00a0"


def test_halves_round_up_where_babel_would_round_to_even() -> None:
    assert round_half_up(0.565, 2) == Decimal("0.57")
    assert round_half_up(2.5) == 3
    assert round_half_up(Decimal("56.5")) == 57
    assert round_half_up(-2.5) == -3
    assert round_half_up(Fraction(1, 8), 2) == Decimal("0.13")
    assert percent(61, 108) == 56


@given(exact_numbers, decimal_places)
def test_a_fraction_rounds_as_its_exact_decimal_does(value: Fraction, places: int) -> None:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    expected = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    # Fine enough for every fraction drawn: exact.quantize sees the digits that matter.
    assert round_half_up(value, places) == expected
    assert abs(round_half_up(value, places) - exact) <= Decimal(5).scaleb(-places - 1)


def test_largest_remainder_gives_the_missing_point_to_the_largest_remainder() -> None:
    assert largest_remainder((61, 47)) == (56, 44)
    assert largest_remainder((1, 1, 1)) == (34, 33, 33)
    assert largest_remainder((0, 0)) == (0, 0)


@given(counts_to_share)
def test_largest_remainder_shares_add_up_to_100_and_stay_within_a_point(
    counts: list[int],
) -> None:
    shares = largest_remainder(counts)

    whole = sum(counts)
    if whole == 0:
        assert set(shares) == {0}
        return
    assert sum(shares) == 100
    for count, share in zip(counts, shares, strict=True):
        assert abs(share - Fraction(count * 100, whole)) < 1


def test_norwegian_numbers_have_a_decimal_comma_and_non_breaking_spaces() -> None:
    nb = NumberFormat("nb")

    assert nb.decimal(1234567) == f"1{NBSP}234{NBSP}567"
    assert nb.figure(290.894) == "290,9"
    assert nb.figure(75.0) == "75"
    assert nb.percent(56) == f"56{NBSP}%"
    assert nb.signed(63) == "+63"
    assert nb.signed(-5) == "\u22125"  # the typographic minus, not Babel's hyphen
    assert nb.kroner(5877543) == f"5{NBSP}877{NBSP}543{NBSP}kr"
    assert nb.millions(4_200_000) == "4,2 millioner kroner"


def test_english_numbers_follow_english_conventions() -> None:
    en = NumberFormat("en")

    assert en.decimal(1234567) == "1,234,567"
    assert en.figure(290.894) == "290.9"
    assert en.percent(56) == "56%"
    assert en.signed(-5) == "-5"
    assert en.kroner(5877543) == f"NOK{NBSP}5,877,543"


def test_a_float_near_its_limit_rounds_and_prints_without_error() -> None:
    # A store filled before events-v1 had bounds can hold seats and scores near 1.8e308:
    # more digits than the decimal context's 28, which quantize would refuse.
    largest = 1.7976931348623157e308

    assert round_half_up(largest, 1) == Decimal(repr(largest))
    assert NumberFormat("nb").figure(largest).startswith("179\u00a0769\u00a0313")

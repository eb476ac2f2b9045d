"""Rounding and number formatting: orbit rounds, Babel writes the digits.

Babel rounds half to even (0.565 -> "56 %"); a report reader expects half up, so
every figure is rounded here first, exactly (``Decimal``/``Fraction``), and Babel
only lays out the already rounded value: decimal comma, non-breaking spaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from decimal import ROUND_HALF_UP, Context, Decimal, getcontext, localcontext
from fractions import Fraction

from babel.numbers import format_decimal

Number = int | float | Decimal | Fraction

NBSP = "\u00a0"
MINUS = "\u2212"  # the typographic minus, which Babel writes as a hyphen


def to_decimal(value: Number) -> Decimal:
    """An exact decimal; a float becomes the decimal it prints as (0.565 -> 0.565)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value.numerator) / Decimal(value.denominator)


def round_half_up(value: Number, places: int = 0) -> Decimal:
    """``value`` rounded to ``places`` decimals, halves away from zero."""
    if isinstance(value, Fraction):
        scaled = abs(value) * 10**places
        whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
        rounded = Decimal(whole).scaleb(-places)
        return -rounded if value < 0 else rounded
    exact = to_decimal(value)
    with digits_for(exact, places):
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def digits_for(value: Decimal, places: int) -> AbstractContextManager[Context]:
    """A decimal context that holds every digit of ``value`` to ``places`` decimals.

    quantize (orbit's and Babel's) refuses a result of more digits than the context
    holds, 28 by default; a float near its limit, from a store filled before events-v1
    had bounds, has 309.
    """
    context = getcontext().copy()
    context.prec = max(context.prec, value.adjusted() + places + 2)
    return localcontext(context)


def percent(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` in whole percent, rounded half up."""
    return round_half_up(Fraction(part * 100, whole))


def largest_remainder(parts: Sequence[int]) -> tuple[int, ...]:
    """Whole percentages of ``parts`` that add up to exactly 100 (all zero when empty).

    Each part gets its percentage rounded down; the points still missing go to the
    largest remainders, ties to the larger part, then to the earlier one.
    """
    whole = sum(parts)
    if whole == 0:
        return tuple(0 for _ in parts)
    exact = [Fraction(part * 100, whole) for part in parts]
    floors = [int(share) for share in exact]
    missing = 100 - sum(floors)
    order = sorted(
        range(len(parts)), key=lambda index: (-(exact[index] - floors[index]), -parts[index], index)
    )
    for index in order[:missing]:
        floors[index] += 1
    return tuple(floors)


class NumberFormat:
    """Figures written in one language's conventions (``nb`` or ``en``)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def decimal(self, value: Number, places: int = 0) -> str:
        """``value`` rounded half up to ``places`` decimals, with the locale's separators."""
        rounded = round_half_up(value, places)
        pattern = "#,##0" + ("." + "0" * places if places else "")
        with digits_for(rounded, places):
            text = format_decimal(abs(rounded), format=pattern, locale=self.language)
        return f"{MINUS if self.language == 'nb' else '-'}{text}" if rounded < 0 else text

    def figure(self, value: Number, places: int = 1) -> str:
        """A measured figure: whole when it rounds to a whole number, else ``places`` decimals."""
        rounded = round_half_up(value, places)
        return self.decimal(rounded, 0 if rounded == rounded.to_integral_value() else places)

    def signed(self, value: Number, places: int = 0) -> str:
        """A change: "+63", "−5" (nb) or "-5" (en), "0"."""
        text = self.decimal(value, places)
        return f"+{text}" if round_half_up(value, places) > 0 else text

    def percent(self, points: Number, places: int = 0) -> str:
        """A percentage given in points (56 -> "56 %" in nb, "56%" in en)."""
        text = self.decimal(points, places)
        return f"{text}{NBSP}%" if self.language == "nb" else f"{text}%"

    def points(self, points: Number) -> str:
        """A difference in percentage points."""
        unit = "prosentpoeng" if self.language == "nb" else "percentage points"
        return f"{self.signed(points)}{NBSP}{unit}"

    def kroner(self, amount: Number) -> str:
        """Whole kroner: "5 877 543 kr" (nb), "NOK 5,877,543" (en)."""
        text = self.decimal(amount)
        return f"{text}{NBSP}kr" if self.language == "nb" else f"NOK{NBSP}{text}"

    def millions(self, amount: Number) -> str:
        """Kroner in millions, one decimal: "4,2 millioner kroner"."""
        text = self.figure(Fraction(to_decimal(amount)) / 1_000_000, 1)
        return f"{text} millioner kroner" if self.language == "nb" else f"NOK {text} million"

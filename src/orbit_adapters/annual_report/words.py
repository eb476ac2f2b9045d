"""The words a person writes around figures, in bokmål and in English.

Numbers one to twelve are written as words in running text ("to personer"), larger
ones as digits; figures that are compared in one sentence are all written as digits
when any of them is above twelve ("13 mot 10"), as Norwegian style guides advise.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Sequence
from decimal import Decimal

from orbit_adapters.annual_report.numbers import Number, round_half_up
from orbit_domain.period import Month

LANGUAGES = ("nb", "en")

_WORDS = {
    "nb": (
        "null", "én", "to", "tre", "fire", "fem", "seks",
        "sju", "åtte", "ni", "ti", "elleve", "tolv",
    ),
    "en": (
        "no", "one", "two", "three", "four", "five", "six",
        "seven", "eight", "nine", "ten", "eleven", "twelve",
    ),
}  # fmt: skip
_MONTHS = {
    "nb": (
        "januar", "februar", "mars", "april", "mai", "juni",
        "juli", "august", "september", "oktober", "november", "desember",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip
LARGEST_WORD = 12


def number_word(count: int, language: str, *, neuter: bool = False) -> str:
    """``count`` as a person writes it in running text: words for one to twelve.

    Bokmål writes the numeral one "én" (masculine and feminine nouns: "én klage") or
    "ett" (neuter: "ett kurs"), never the article "en"/"et".
    """
    if 1 <= count <= LARGEST_WORD:
        if count == 1 and language == "nb" and neuter:
            return "ett"
        return _WORDS[language][count]
    return str(count) if count >= 0 else f"-{-count}"


def numbers_together(counts: Sequence[int], language: str) -> tuple[str, ...]:
    """Counts that stand together in one sentence: all words, or all digits if any is > 12."""
    if any(count > LARGEST_WORD or count < 0 for count in counts):
        return tuple(str(count) for count in counts)
    return tuple(number_word(count, language) for count in counts)


def capitalised(text: str) -> str:
    """A sentence never starts with digits in bokmål or English prose: "Tre av disse..."."""
    return text[:1].upper() + text[1:]


def month_name(month: int, language: str) -> str:
    return _MONTHS[language][month - 1]


def day_text(day: dt.date, language: str, *, year: bool = True) -> str:
    """ "31. desember 2024" / "31 December 2024" (years are never number-formatted)."""
    separator = ". " if language == "nb" else " "
    text = f"{day.day}{separator}{month_name(day.month, language)}"
    return f"{text} {day.year}" if year else text


def from_text(day: dt.date, language: str) -> str:
    """When something began: "fra juli" for the first of a month, else "fra 15. juli"."""
    word = "fra" if language == "nb" else "from"
    if day.day == 1:
        return f"{word} {month_name(day.month, language)}"
    return f"{word} {day_text(day, language, year=False)}"


def span_text(start: dt.date, end: dt.date, language: str) -> str:
    """A span within one year in words: "januar t.o.m. juni", "juli", "15. juli t.o.m. 31. oktober".

    Whole months are named by month; other spans by their first and last days.
    """
    whole_months = start.day == 1 and end == Month.of(end).last_day
    if whole_months:
        first, last = month_name(start.month, language), month_name(end.month, language)
    else:
        first, last = day_text(start, language, year=False), day_text(end, language, year=False)
    if first == last:
        return first
    return f"{first} t.o.m. {last}" if language == "nb" else f"{first} to {last}"


def span_phrase(start: dt.date, end: dt.date, language: str) -> str:
    """A span after a figure: "fra januar t.o.m. mai", "i juni" (en: "from January to May")."""
    text = span_text(start, end, language)
    if start != end and (" t.o.m. " in text or " to " in text):
        return f"{'fra' if language == 'nb' else 'from'} {text}"
    if text[0].isdigit():
        return f"{'den' if language == 'nb' else 'on'} {text}"
    return f"{'i' if language == 'nb' else 'in'} {text}"


def listing(items: Sequence[str], language: str) -> str:
    """ "a, b og c" / "a, b and c" (no serial comma in either)."""
    if len(items) <= 1:
        return "".join(items)
    conjunction = " og " if language == "nb" else " and "
    return ", ".join(items[:-1]) + conjunction + items[-1]


def months_from_days(days: int) -> Decimal:
    """Whole months in ``days``, rounded half up (a month is 365.25 / 12 days)."""
    return round_half_up(Decimal(days) * 12 / Decimal("365.25"))


class Change(enum.Enum):
    """How large a year-over-year change is, in words."""

    LARGE_DECREASE = -3
    DECREASE = -2
    SMALL_DECREASE = -1
    UNCHANGED = 0
    SMALL_INCREASE = 1
    INCREASE = 2
    LARGE_INCREASE = 3


SMALL_LEVEL_CHANGE = Decimal(5)
"""A change in a level (a mean score, a rate) below 5 points of 100 is "small"..."""
LARGE_LEVEL_CHANGE = Decimal(15)
"""... and one of 15 points of 100 or more is "large"."""
SMALL_COUNT_CHANGE = Decimal("0.10")
"""A change in a count below 10 % of the year before is "small"..."""
LARGE_COUNT_CHANGE = Decimal("0.50")
"""... and one of 50 % or more is "large"."""


def _graded(sign: int, size: int) -> Change:
    return Change(sign * size)


def level_change(current: Number, previous: Number, scale: Number = 100) -> Change:
    """The change between two printed levels on ``scale``, graded in points of 100."""
    difference = (Decimal(str(current)) - Decimal(str(previous))) * 100 / Decimal(str(scale))
    if difference == 0:
        return Change.UNCHANGED
    size = abs(difference)
    grade = 1 if size < SMALL_LEVEL_CHANGE else 2 if size < LARGE_LEVEL_CHANGE else 3
    return _graded(1 if difference > 0 else -1, grade)


def count_change(current: Number, previous: Number) -> Change:
    """The change between two counts, graded relative to the year before."""
    difference = Decimal(str(current)) - Decimal(str(previous))
    if difference == 0:
        return Change.UNCHANGED
    if previous == 0:
        return _graded(1, 3)
    size = abs(difference) / abs(Decimal(str(previous)))
    grade = 1 if size < SMALL_COUNT_CHANGE else 2 if size < LARGE_COUNT_CHANGE else 3
    return _graded(1 if difference > 0 else -1, grade)


_CHANGE_WORDS = {
    "nb": {
        Change.LARGE_DECREASE: "en stor nedgang",
        Change.DECREASE: "en nedgang",
        Change.SMALL_DECREASE: "en liten nedgang",
        Change.UNCHANGED: "uendret",
        Change.SMALL_INCREASE: "en liten økning",
        Change.INCREASE: "en økning",
        Change.LARGE_INCREASE: "en stor økning",
    },
    "en": {
        Change.LARGE_DECREASE: "a large decrease",
        Change.DECREASE: "a decrease",
        Change.SMALL_DECREASE: "a small decrease",
        Change.UNCHANGED: "unchanged",
        Change.SMALL_INCREASE: "a small increase",
        Change.INCREASE: "an increase",
        Change.LARGE_INCREASE: "a large increase",
    },
}


def change_words(change: Change, language: str) -> str:
    return _CHANGE_WORDS[language][change]

"""Number words, month ranges and change words, in bokmål and English."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

from orbit_adapters.annual_report.words import (
    Change,
    change_words,
    count_change,
    level_change,
    months_from_days,
    number_word,
    numbers_together,
    span_phrase,
    span_text,
)
from strategies import printed_levels


def test_one_to_twelve_are_words_and_thirteen_is_digits() -> None:
    assert number_word(1, "nb") == "én"
    assert number_word(1, "nb", neuter=True) == "ett"
    assert number_word(2, "nb") == "to"
    assert number_word(7, "nb") == "sju"
    assert number_word(12, "nb") == "tolv"
    assert number_word(13, "nb") == "13"
    assert number_word(3, "en") == "three"
    assert number_word(0, "nb") == "0"  # zero is "ingen" in the sentences that can have it


def test_numbers_compared_in_one_sentence_are_all_digits_if_one_is_above_twelve() -> None:
    assert numbers_together((3, 7), "nb") == ("tre", "sju")
    assert numbers_together((13, 10), "nb") == ("13", "10")


def test_month_ranges_in_words() -> None:
    assert span_text(dt.date(2024, 1, 1), dt.date(2024, 6, 30), "nb") == "januar t.o.m. juni"
    assert span_text(dt.date(2024, 11, 1), dt.date(2024, 12, 31), "nb") == (
        "november t.o.m. desember"
    )
    assert span_text(dt.date(2024, 7, 1), dt.date(2024, 7, 31), "nb") == "juli"
    assert span_text(dt.date(2024, 7, 15), dt.date(2024, 10, 31), "nb") == (
        "15. juli t.o.m. 31. oktober"
    )
    assert span_text(dt.date(2024, 1, 1), dt.date(2024, 6, 30), "en") == "January to June"
    assert span_phrase(dt.date(2024, 6, 1), dt.date(2024, 6, 30), "nb") == "i juni"
    assert span_phrase(dt.date(2024, 1, 1), dt.date(2024, 5, 31), "nb") == "fra januar t.o.m. mai"


def test_a_span_ending_on_the_last_day_of_the_calendar_is_a_month_range() -> None:
    # The day after 9999-12-31 does not exist: report --year 9999 works, so must this.
    assert span_text(dt.date(9999, 11, 1), dt.date(9999, 12, 31), "nb") == (
        "november t.o.m. desember"
    )
    assert span_text(dt.date(9999, 12, 2), dt.date(9999, 12, 31), "en") == (
        "2 December to 31 December"
    )


def test_a_wait_in_whole_months() -> None:
    assert months_from_days(121) == 4
    assert months_from_days(45) == 1
    assert months_from_days(46) == 2


@pytest.mark.parametrize(
    ("current", "previous", "scale", "words"),
    [
        (89, 86, 100, "en liten økning"),
        (5.4, 5.4, 6, "uendret"),
        (70, 86, 100, "en stor nedgang"),
        (4.6, 4.4, 6, "en liten økning"),
        (60, 50, 100, "en økning"),
    ],
)
def test_change_words_for_levels(current: float, previous: float, scale: int, words: str) -> None:
    assert change_words(level_change(current, previous, scale), "nb") == words


def test_change_words_for_counts_are_relative_to_the_year_before() -> None:
    assert count_change(226, 163) is Change.INCREASE
    assert count_change(13, 10) is Change.INCREASE
    assert count_change(105, 100) is Change.SMALL_INCREASE
    assert count_change(40, 100) is Change.LARGE_DECREASE
    assert change_words(Change.SMALL_DECREASE, "en") == "a small decrease"


@given(printed_levels, printed_levels)
def test_a_change_and_its_reverse_are_mirror_words(current: float, previous: float) -> None:
    forward = level_change(current, previous)
    backward = level_change(previous, current)

    assert forward.value == -backward.value
    assert (forward is Change.UNCHANGED) == (current == previous)

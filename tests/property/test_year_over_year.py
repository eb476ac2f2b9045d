"""A comparison of two reports (orbit_domain.comparison) holds for any pair of periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from hypothesis import given

from orbit_domain.comparison import report_differences
from orbit_domain.history import Recorded
from orbit_domain.period import Period
from property_support import half_examples, report_json
from strategies import histories, known_ats, periods


def _numbers(value: Any, path: str = "") -> Iterator[tuple[str, float]]:
    """Every number of a JSON value, by its path."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _numbers(inner, f"{path}/{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _numbers(inner, f"{path}[{index}]")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


@half_examples
@given(histories(), periods(), periods(), known_ats)
def test_differences_are_subtractions_antisymmetric_and_nothing_against_the_same_report(
    history: list[Recorded], one: Period, other: Period, known_at: dt.datetime | None
) -> None:
    """Each integer (a count, a day count) at the same place in both reports, outside
    lists, differs by main - other; comparing the other way round negates every
    difference; a report compared with itself differs by nothing."""
    first = report_json(history, one, known_at)
    second = report_json(history, other, known_at)

    forth = dict(_numbers(report_differences(first, second)))
    back = dict(_numbers(report_differences(second, first)))

    assert forth.keys() == back.keys()
    assert all(forth[path] == -back[path] for path in forth)
    assert all(change == 0 for _, change in _numbers(report_differences(first, first)))
    second_numbers = dict(_numbers(second))
    for path, value in _numbers(first):
        counted = path.startswith("/programmes") and "[" not in path
        if counted and isinstance(value, int) and isinstance(second_numbers.get(path), int):
            assert forth[path] == value - second_numbers[path], path

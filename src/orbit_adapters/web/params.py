"""The API's query parameters, read strictly: anything else is a 400 with a one-line reason."""

from __future__ import annotations

import datetime as dt
import re

from orbit_adapters.events_v1 import LineError, parse_timestamp
from orbit_domain.weighting import Weighting

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR = re.compile(r"\d{4}")
_SPACED_OFFSET = re.compile(r"(.*T[0-9:.]+) (\d{2}:\d{2})")


class BadParameterError(ValueError):
    """A query parameter the API cannot use; the message is the one-line reason."""


def date_parameter(name: str, value: str | None) -> dt.date | None:
    if value is None:
        return None
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise BadParameterError(f"{name}={value!r} is not a date of the form YYYY-MM-DD")


def moment_parameter(name: str, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    # An unencoded "+" in a query string arrives as a space: "+02:00" becomes " 02:00".
    spaced = _SPACED_OFFSET.fullmatch(value)
    written = f"{spaced[1]}+{spaced[2]}" if spaced else value
    try:
        return parse_timestamp(written)
    except LineError:
        raise BadParameterError(
            f"{name}={value!r} is not a timestamp with an offset, e.g. 2024-06-30T00:00:00Z"
        ) from None


def weighting_parameter(value: str | None) -> Weighting:
    if value is None:
        return Weighting.PROPORTIONAL
    try:
        return Weighting(value)
    except ValueError:
        known = " or ".join(weighting.value for weighting in Weighting)
        raise BadParameterError(f"weighting={value!r} is not {known}") from None


def year_parameter(value: str | None) -> int:
    if value is None:
        raise BadParameterError("year is missing (e.g. year=2024)")
    if not _YEAR.fullmatch(value) or not 1900 <= int(value) <= 9999:
        raise BadParameterError(f"year={value!r} is not a year from 1900 to 9999")
    return int(value)


def choice_parameter(name: str, value: str | None, choices: tuple[str, ...]) -> str:
    if value is None:
        return choices[0]
    if value not in choices:
        raise BadParameterError(f"{name}={value!r} is not one of {', '.join(choices)}")
    return value


LONGEST_PERIOD_YEARS = 10
"""A report's cost grows with its months: a server shared by many refuses a period of a
century that one ``orbit replay`` on the command line may still ask for."""


def period_parameters(start: str | None, until: str | None) -> tuple[dt.date, dt.date]:
    """``from`` (default: 1 January of ``until``) and ``until`` (required)."""
    last = date_parameter("until", until)
    if last is None:
        raise BadParameterError("until is missing (the period's last day, YYYY-MM-DD)")
    first = date_parameter("from", start) or dt.date(last.year, 1, 1)
    if first > last:
        raise BadParameterError(f"the period is empty: from {first} is after until {last}")
    if _add_years(first, LONGEST_PERIOD_YEARS) <= last:
        raise BadParameterError(
            f"the period from {first} until {last} is longer than {LONGEST_PERIOD_YEARS} years;"
            " ask for a shorter one, or use orbit replay"
        )
    return first, last


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)

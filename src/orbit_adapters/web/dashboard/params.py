"""The overview's query parameters, read as a person types them, refused in one line."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import attrs

from orbit_adapters.annual_report.produce import FORMATS
from orbit_adapters.web.dashboard.texts import LANGUAGES
from orbit_domain.weighting import Weighting

EARLIEST_YEAR = 1900
LONGEST_PERIOD_YEARS = 10
"""A page shows a period's months as a chart and a table: ten years are 120 of them. A
longer period is for ``orbit replay`` (and would keep the server busy for every page)."""


class ParameterError(ValueError):
    """A parameter the page cannot use; the message is one line in the page's language."""


@attrs.frozen
class PeriodChoice:
    start: dt.date
    until: dt.date
    known_at: dt.datetime | None
    weighting: Weighting
    year: int  # of the annual report downloads


def default_year(until: dt.date) -> int:
    """The last whole calendar year up to ``until``: the annual report one most likely wants."""
    return until.year if (until.month, until.day) == (12, 31) else until.year - 1


def read_period(query: Mapping[str, str], today: dt.date, texts: Mapping[str, str]) -> PeriodChoice:
    """From, until, known at, weighting and year; by default 1 January to today."""
    start = _date(query.get("from"), texts["from"], texts)  # the form's first field first
    until = _date(query.get("until"), texts["until"], texts) or today
    start = start or dt.date(until.year, 1, 1)
    if until < start:
        raise ParameterError(texts["error_until_before_from"])
    if until.year - start.year > LONGEST_PERIOD_YEARS or (
        until.year - start.year == LONGEST_PERIOD_YEARS
        and (until.month, until.day) >= (start.month, start.day)
    ):
        raise ParameterError(texts["error_period_too_long"].format(years=LONGEST_PERIOD_YEARS))
    known_at = read_moment(query.get("known_at"), texts)
    weighting_text = (query.get("weighting") or Weighting.PROPORTIONAL.value).strip()
    try:
        weighting = Weighting(weighting_text)
    except ValueError:
        raise ParameterError(texts["error_weighting"].format(value=weighting_text)) from None
    year = read_year(query.get("year"), texts) or default_year(until)
    return PeriodChoice(start, until, known_at, weighting, year)


def read_moment(text: str | None, texts: Mapping[str, str]) -> dt.datetime | None:
    """A knowledge time: ISO 8601 as a datetime-local field sends it, in UTC unless it says."""
    if text is None or not text.strip():
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ParameterError(texts["error_moment"].format(value=text.strip())) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def read_year(text: str | None, texts: Mapping[str, str]) -> int | None:
    if text is None or not text.strip():
        return None
    value = text.strip()
    if not (
        value.isascii() and value.isdigit() and len(value) == 4 and int(value) >= EARLIEST_YEAR
    ):
        raise ParameterError(texts["error_year"].format(value=value))
    return int(value)


def read_choice(text: str | None, allowed: tuple[str, ...], message: str) -> str:
    value = (text or "").strip()
    if value not in allowed:
        raise ParameterError(message.format(value=value))
    return value


def read_language(text: str | None, texts: Mapping[str, str]) -> str:
    return read_choice(text, LANGUAGES, texts["error_lang"])


def read_format(text: str | None, texts: Mapping[str, str]) -> str:
    return read_choice(text, FORMATS, texts["error_format"])


def moment_field(moment: dt.datetime | None) -> str:
    """A knowledge time as a datetime-local field shows it (UTC, seconds when not zero)."""
    if moment is None:
        return ""
    utc = moment.astimezone(dt.UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S" if utc.second else "%Y-%m-%dT%H:%M")


def moment_option(moment: dt.datetime) -> str:
    """A knowledge time as ``orbit replay --known-at`` takes it."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _date(text: str | None, field: str, texts: Mapping[str, str]) -> dt.date | None:
    if text is None or not text.strip():
        return None
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ParameterError(texts["error_date"].format(field=field, value=text.strip())) from None
    if day.year < EARLIEST_YEAR:  # the year before must exist too, for the comparison
        raise ParameterError(texts["error_date_early"].format(field=field, value=text.strip()))
    return day

"""Nav's rates (satser) per månedsverk, by year and programme, and how a configuration changes them.

The defaults are Nav's forhåndsgodkjente satser as its own tiltak administration holds
them (navikt/mulighetsrommet, ``ForhandsgodkjenteSatser``), in whole kroner. A year or
programme without a rate gets no funding computed: orbit never guesses a rate.
"""

from __future__ import annotations

import types
from collections.abc import Mapping

from orbit_domain.errors import InvalidValueError
from orbit_domain.events import PROGRAMME_PATTERN

Rates = Mapping[int, Mapping[str, int]]
"""NOK per månedsverk, by year, then by programme code."""

DEFAULT_RATES: Rates = types.MappingProxyType(
    {
        2023: types.MappingProxyType({"AFT": 19_500}),
        2024: types.MappingProxyType({"AFT": 20_205, "VTA": 16_231}),
        2025: types.MappingProxyType({"AFT": 20_975, "VTA": 16_848}),
        2026: types.MappingProxyType({"AFT": 21_730, "VTA": 17_455}),
    }
)

FIRST_YEAR = 1900
LAST_YEAR = 9999


def rate_of(rates: Rates, year: int, programme: str) -> int | None:
    """The rate for ``programme`` in ``year``; None when there is none."""
    return rates.get(year, {}).get(programme)


def with_overrides(rates: Rates, overrides: Rates) -> Rates:
    """``rates`` with each year and programme of ``overrides`` replacing its own (if any)."""
    merged = {year: dict(by_programme) for year, by_programme in rates.items()}
    for year, by_programme in overrides.items():
        merged.setdefault(year, {}).update(by_programme)
    return types.MappingProxyType(
        {year: types.MappingProxyType(merged[year]) for year in sorted(merged)}
    )


def parse_rates(table: object, key: str = "funding.rates") -> Rates:
    """The rates of a configuration table ``{year = {PROGRAMME = NOK, ...}, ...}``.

    ``key`` names the table in errors, which say which entry is wrong and why.
    """
    if not isinstance(table, Mapping):
        raise InvalidValueError(key, "must be a table of years")
    rates: dict[int, dict[str, int]] = {}
    for year_text, by_programme in table.items():
        year_key = f"{key}.{year_text}"
        year = parse_year(str(year_text), year_key)
        if not isinstance(by_programme, Mapping):
            raise InvalidValueError(year_key, "must be a table of programmes, e.g. { AFT = 20205 }")
        rates[year] = {
            parse_programme(str(programme), f"{year_key}.{programme}"): parse_rate(
                value, f"{year_key}.{programme}"
            )
            for programme, value in by_programme.items()
        }
    return types.MappingProxyType(rates)


def parse_year(text: str, key: str) -> int:
    if not (text.isascii() and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise InvalidValueError(key, f"{text!r} is not a year ({FIRST_YEAR}-{LAST_YEAR})")
    return int(text)


def parse_programme(text: str, key: str) -> str:
    if PROGRAMME_PATTERN.fullmatch(text) is None:
        raise InvalidValueError(key, f"{text!r} is not a programme code ([A-Z][A-Z0-9_]{{1,15}})")
    return text


def parse_rate(value: object, key: str) -> int:
    """A rate is whole kroner above 0 (Nav's satser are)."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise InvalidValueError(key, f"must be whole kroner above 0, not {value!r}")
    return value

"""The annual report's configuration: a TOML file, checked whole before anything is built.

Every mistake is one line naming the file and the key ("orbit.toml: targets.AFT.
placement_rate: 1.2 is a share above 1"), since a report built on a typo would be
printed and handed out.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from orbit_domain.errors import InvalidValueError
from orbit_domain.funding_rates import DEFAULT_RATES, Rates, parse_rates, with_overrides

PROGRAMME_CODE = re.compile(r"[A-Z][A-Z0-9_]{1,15}")
FIRST_YEAR, LAST_YEAR = 1900, 9999

DEFAULT_TARGETS: Mapping[str, Decimal] = {"AFT": Decimal("0.50")}
"""Nav's målkrav: 50 % of AFT's exits to work or education."""


_NATIONAL_FIGURES = ("placement_rate", "activity_rate")
_GROUPS = ("work", "education", "other_active", "inactive", "unknown")
_GENDERS = ("female", "male", "other", "unknown")


class ConfigError(ValueError):
    """A configuration a report cannot be built from; the message is one line."""


@attrs.frozen
class NationalAverage:
    """Reference figures for one programme and year, always with their source."""

    year: int
    programme: str
    source: str
    rates: Mapping[str, Decimal]  # placement_rate, activity_rate
    groups: Mapping[str, Decimal]  # exits_by_group shares
    gender: Mapping[str, Decimal]


@attrs.frozen
class Socioeconomic:
    saving_per_person_nok: int
    years_in_work: int
    source: str


@attrs.frozen
class AnnualConfig:
    organisation_name: str | None = None
    place: str | None = None
    targets: Mapping[str, Decimal] = attrs.field(factory=lambda: dict(DEFAULT_TARGETS))
    national_averages: tuple[NationalAverage, ...] = ()
    socioeconomic: Socioeconomic | None = None
    rates: Mapping[int, Mapping[str, int]] = attrs.field(factory=lambda: dict(DEFAULT_RATES))
    source: str | None = None  # the file it came from, for the colophon

    def national_average(self, programme: str, year: int) -> NationalAverage | None:
        """The configured figures of ``year``, else of the latest year before it."""
        candidates = [
            entry
            for entry in self.national_averages
            if entry.programme == programme and entry.year <= year
        ]
        return max(candidates, key=lambda entry: entry.year, default=None)


def load_config(path: Path) -> AnnualConfig:
    """The configuration in ``path``; ``ConfigError`` (one line) when it is not valid."""
    try:
        with path.open("rb") as file:
            document = tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 (TOML files are UTF-8)") from None
    return parse_config(document, str(path))


def parse_config(document: Mapping[str, Any], where: str) -> AnnualConfig:
    reader = _Reader(where)
    reader.only(
        document,
        "",
        {"organisation_name", "place", "targets", "national_average", "socioeconomic", "funding"},
    )
    targets = dict(DEFAULT_TARGETS)
    for code, target in reader.table(document.get("targets", {}), "targets").items():
        key = f"targets.{reader.programme(code, f'targets.{code}')}"
        reader.only(reader.table(target, key), key, {"placement_rate"})
        if "placement_rate" in target:
            targets[code] = reader.share(target["placement_rate"], f"{key}.placement_rate")
    return AnnualConfig(
        organisation_name=reader.optional_text(document, "organisation_name", ""),
        place=reader.optional_text(document, "place", ""),
        targets=targets,
        national_averages=tuple(
            _national_average(reader, entry, f"national_average[{index}]")
            for index, entry in enumerate(reader.array(document.get("national_average", [])))
        ),
        socioeconomic=_socioeconomic(reader, document.get("socioeconomic")),
        rates=_rates(reader, document.get("funding", {})),
        source=where,
    )


def _national_average(reader: _Reader, entry: Any, key: str) -> NationalAverage:
    entry = reader.table(entry, key)
    reader.only(
        entry, key, {"year", "programme", "source", *_NATIONAL_FIGURES, "exits_by_group", "gender"}
    )
    source = reader.optional_text(entry, "source", f"{key}.")
    if source is None:
        raise ConfigError(
            f"{reader.where}: {key}.source is missing: a national average needs its source"
        )
    for required in ("year", "programme"):
        if required not in entry:
            raise ConfigError(f"{reader.where}: {key}.{required} is missing")
    rates = {
        name: reader.share(entry[name], f"{key}.{name}")
        for name in _NATIONAL_FIGURES
        if name in entry
    }
    groups = reader.shares(entry.get("exits_by_group", {}), f"{key}.exits_by_group", _GROUPS)
    gender = reader.shares(entry.get("gender", {}), f"{key}.gender", _GENDERS)
    if not (rates or groups or gender):
        raise ConfigError(
            f"{reader.where}: {key} gives no figure "
            "(placement_rate, activity_rate, exits_by_group or gender)"
        )
    return NationalAverage(
        year=reader.year(entry["year"], f"{key}.year"),
        programme=reader.programme(entry["programme"], f"{key}.programme"),
        source=source,
        rates=rates,
        groups=groups,
        gender=gender,
    )


def _socioeconomic(reader: _Reader, section: Any) -> Socioeconomic | None:
    if section is None:
        return None
    section = reader.table(section, "socioeconomic")
    reader.only(section, "socioeconomic", {"saving_per_person_nok", "years_in_work", "source"})
    for required in ("saving_per_person_nok", "years_in_work", "source"):
        if required not in section:
            raise ConfigError(f"{reader.where}: socioeconomic.{required} is missing")
    source = reader.optional_text(section, "source", "socioeconomic.")
    assert source is not None
    return Socioeconomic(
        saving_per_person_nok=reader.positive(
            section["saving_per_person_nok"], "socioeconomic.saving_per_person_nok"
        ),
        years_in_work=reader.positive(section["years_in_work"], "socioeconomic.years_in_work"),
        source=source,
    )


def _rates(reader: _Reader, funding: Any) -> Rates:
    """Nav's default rates with the configuration's ``[funding.rates]`` over them, read
    by the same rule as ``orbit funding --config``."""
    funding = reader.table(funding, "funding")
    reader.only(funding, "funding", {"rates"})
    try:
        configured = parse_rates(funding.get("rates", {}))
    except InvalidValueError as error:
        raise reader.fail(error.field, error.reason) from None
    return with_overrides(DEFAULT_RATES, configured)


class _Reader:
    """Checks of single values, each failing with the file and the key."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.where}: {key}: {problem}")

    def only(self, table: Mapping[str, Any], prefix: str, allowed: set[str]) -> None:
        for name in table:
            if name not in allowed:
                key = f"{prefix}.{name}" if prefix else name
                known = ", ".join(sorted(allowed))
                raise self.fail(key, f"unknown key (known here: {known})")

    def table(self, value: Any, key: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, "must be a table")
        return value

    def array(self, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail("national_average", "must be an array of tables ([[national_average]])")
        return value

    def optional_text(self, table: Mapping[str, Any], name: str, prefix: str) -> str | None:
        value = table.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{prefix}{name}", "must be a non-empty string")
        return value.strip()

    def programme(self, value: Any, key: str) -> str:
        if not isinstance(value, str) or not PROGRAMME_CODE.fullmatch(value):
            raise self.fail(key, f"{value!r} is not a programme code (like AFT or VTA)")
        return value

    def year(self, value: Any, key: str) -> int:
        text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
        if not re.fullmatch(r"\d{4}", text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            raise self.fail(key, f"{value!r} is not a year")
        return int(text)

    def share(self, value: Any, key: str) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, f"{value!r} is not a number")
        share = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if share > 1:
            raise self.fail(key, f"{value} is a share above 1 (write 0.49 for 49 %)")
        if share < 0:
            raise self.fail(key, f"{value} is a negative share")
        return share

    def shares(self, value: Any, key: str, names: tuple[str, ...]) -> dict[str, Decimal]:
        table = self.table(value, key)
        self.only(table, key, set(names))
        shares = {name: self.share(table[name], f"{key}.{name}") for name in names if name in table}
        if sum(shares.values(), Decimal(0)) > 1:
            raise self.fail(key, "the shares add up to more than 1")
        return shares

    def positive(self, value: Any, key: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(key, f"{value!r} is not a positive whole number")
        return value

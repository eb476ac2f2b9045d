"""``orbit funding``: what Nav pays each month, computed as Nav computes its claim."""

# ruff: noqa: PLC0415 (the store, the domain and tomllib are imported when the command
# runs: ``orbit --help`` does not load them; docs/performance.md)

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

import click

from orbit_cli.context import CliState, pass_state
from orbit_cli.params import known_at_option
from orbit_cli.report_commands import require_events

if TYPE_CHECKING:
    from orbit_domain.funding import FundingResult
    from orbit_domain.funding_rates import Rates
    from orbit_domain.period import Period

FUNDING_FORMATS = ("csv", "json", "table")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RATE = re.compile(r"([^=]*)=(.*)")


def parse_month(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> tuple[int, int] | None:
    if value is None:
        return None
    found = _MONTH.fullmatch(value)
    if found is None or not 1 <= int(found[2]) <= 12:
        raise click.BadParameter(f"{value!r} is not a month of the form YYYY-MM")
    return int(found[1]), int(found[2])


@click.command("funding")
@click.option("--year", type=click.IntRange(1900, 9999), help="Every month of a calendar year.")
@click.option("--month", metavar="YYYY-MM", callback=parse_month, help="One month.")
@click.option("--programme", metavar="CODE", help="Only this programme (AFT, VTA, ...).")
@click.option(
    "--by-participant",
    is_flag=True,
    help="Also each participation's månedsverk by pseudonymous key: Nav's claim line by line.",
)
@known_at_option("the funding as it could have been computed then")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FUNDING_FORMATS),
    default="table",
    show_default=True,
    help="table for reading, json for a program, csv for a spreadsheet.",
)
@click.option(
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A TOML configuration; only its [funding.rates] is read here.",
)
@click.option(
    "--rate",
    "rate_options",
    multiple=True,
    metavar="PROGRAMME=NOK",
    help="NOK per månedsverk for the period's year, over the defaults and --config (repeatable).",
)
@pass_state
def funding_command(
    state: CliState,
    year: int | None,
    month: tuple[int, int] | None,
    programme: str | None,
    by_participant: bool,
    known_at: dt.datetime | None,
    output_format: str,
    config: Path | None,
    rate_options: tuple[str, ...],
) -> None:
    """Nav's payment for each month against its commitment (tilsagn), per programme.

    Computed as Nav's own tiltak administration computes the monthly claim
    (docs/funding.md); the default rates are Nav's, per year.
    """
    period = _period(year, month)
    rates = _rates(period.start.year, config, rate_options)
    orbit = state.orbit(needs_key=by_participant)  # only the lines carry personal data
    require_events(state, orbit)
    result = orbit.funding(period, known_at=known_at, rates=rates, by_participant=by_participant)
    if programme is not None:
        result = _only(result, programme)
    if not result.months and result.missing_rates:
        raise click.ClickException(_missing_rates_message(result))
    from orbit_cli.funding_printers import funding_csv, funding_json, funding_table

    if output_format == "json":
        click.echo(funding_json(result, period, known_at), nl=False)
        return
    if output_format == "csv":
        for note in _notes(result):
            click.echo(note, err=True)
        click.echo(funding_csv(result, by_participant=by_participant), nl=False)
        return
    click.echo(funding_table(result, period, known_at, _notes(result)), nl=False)


def _period(year: int | None, month: tuple[int, int] | None) -> Period:
    from orbit_domain.period import Month, Period

    if (year is None) == (month is None):
        raise click.UsageError("give either --year YYYY or --month YYYY-MM")
    if year is not None:
        return Period.year(year)
    assert month is not None
    one = Month(*month)
    return Period(one.first_day, one.last_day)


def _rates(year: int, config: Path | None, rate_options: tuple[str, ...]) -> Rates:
    """Nav's rates, then the configuration's [funding.rates], then each --rate."""
    from orbit_domain.errors import InvalidValueError
    from orbit_domain.funding_rates import (
        DEFAULT_RATES,
        parse_programme,
        parse_rate,
        with_overrides,
    )

    rates = DEFAULT_RATES
    if config is not None:
        rates = with_overrides(rates, _configured_rates(config))
    given: dict[str, int] = {}
    for option in rate_options:
        found = _RATE.fullmatch(option)
        try:
            if found is None:
                raise InvalidValueError("--rate", f"{option!r} is not PROGRAMME=NOK")
            programme = parse_programme(found[1], f"--rate {option}")
            kroner = int(found[2]) if found[2].isascii() and found[2].isdigit() else found[2]
            given[programme] = parse_rate(kroner, f"--rate {option}")
        except InvalidValueError as error:
            raise click.ClickException(str(error)) from None
    return with_overrides(rates, {year: given}) if given else rates


def _configured_rates(config: Path) -> Rates:
    import tomllib

    from orbit_domain.errors import InvalidValueError
    from orbit_domain.funding_rates import parse_rates

    try:
        with config.open("rb") as file:
            settings = tomllib.load(file)
    except tomllib.TOMLDecodeError as error:
        raise click.ClickException(f"{config}: not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise click.ClickException(f"{config}: not UTF-8 (TOML files are UTF-8)") from None
    funding = settings.get("funding", {})
    try:
        if not isinstance(funding, dict):
            raise InvalidValueError("funding", "must be a table, e.g. [funding.rates]")
        unknown = sorted(set(funding) - {"rates"})
        if unknown:
            raise InvalidValueError(f"funding.{unknown[0]}", "unknown key (only rates is known)")
        return parse_rates(funding.get("rates", {}))
    except InvalidValueError as error:
        raise click.ClickException(f"{config}: {error}") from None


def _only(result: FundingResult, programme: str) -> FundingResult:
    import attrs

    known = {month.programme for month in result.months} | {
        missing.programme for missing in result.missing_rates
    }
    if programme not in known:
        listed = ", ".join(sorted(known)) or "none"
        raise click.ClickException(f"unknown programme {programme!r}: this period has {listed}")
    return attrs.evolve(
        result,
        months=tuple(month for month in result.months if month.programme == programme),
        participants=tuple(line for line in result.participants if line.programme == programme),
        missing_rates=tuple(
            missing for missing in result.missing_rates if missing.programme == programme
        ),
    )


def _notes(result: FundingResult) -> list[str]:
    return [
        f"No rate for {missing.programme} in {missing.year}: its funding is left out "
        f"(give one with --rate {missing.programme}=NOK or [funding.rates] in --config)."
        for missing in result.missing_rates
    ]


def _missing_rates_message(result: FundingResult) -> str:
    named = ", ".join(f"{missing.programme} {missing.year}" for missing in result.missing_rates)
    return (
        f"no funding rate for {named}: give one with --rate PROGRAMME=NOK "
        "or [funding.rates] in --config"
    )

"""``orbit replay`` and ``orbit report``: the statistics of a period, rebuilt from the events."""

# ruff: noqa: PLC0415 (the store, the domain and attrs are imported when a command runs:
# ``orbit --help`` or ``orbit generate`` does not load them; docs/performance.md)

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

import click

from orbit_cli.context import CliState, pass_state
from orbit_cli.params import known_at_option, parse_date
from orbit_cli.printers import FORMATS, printer
from orbit_cli.progress import Progress
from orbit_domain.weighting import Weighting

if TYPE_CHECKING:
    from orbit_adapters import Orbit
    from orbit_domain.period import Period
    from orbit_domain.report import Report


DEFAULT_JOBS_LIMIT = 8
"""Each worker holds one organisation's journeys (about 80 MB for 34,000 events): a
default that grew with a large server's cores would grow memory with them."""


def _report_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options ``replay`` and ``report`` share."""
    options = [
        known_at_option("the report as it could have been written then"),
        click.option(
            "--programme", metavar="CODE", help="Only this programme (AFT, VTA, or another code)."
        ),
        click.option(
            "--format",
            "output_format",
            type=click.Choice(FORMATS),
            default="table",
            show_default=True,
            help="table for reading, json for report-v1, csv for a spreadsheet.",
        ),
        click.option(
            "--weighting",
            type=click.Choice([weighting.value for weighting in Weighting]),
            default=Weighting.PROPORTIONAL.value,
            show_default=True,
            help="Seat usage per day: percentage/100, or Nav's rule (under 50 % is half a seat).",
        ),
        click.option(
            "--all-organisations",
            is_flag=True,
            help="Sum every organisation in the store (regional or Nav-wide figures).",
        ),
        click.option(
            "--rebuild",
            is_flag=True,
            help="Drop the replay checkpoints and replay every event from the start.",
        ),
        click.option(
            "--jobs",
            type=click.IntRange(min=1),
            metavar="N",
            help="Replay up to N organisations, or the shares of a large organisation's "
            "participants, at once in worker processes [default: the CPUs this process may "
            f"use, at most {DEFAULT_JOBS_LIMIT}; 1: none].",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("replay")
@click.option(
    "--until",
    required=True,
    metavar="DATE",
    callback=parse_date,
    help="Last day of the period (inclusive).",
)
@click.option(
    "--from",
    "start",
    metavar="DATE",
    callback=parse_date,
    help="First day of the period [default: 1 January of --until].",
)
@click.option(
    "--compare-until",
    metavar="DATE",
    callback=parse_date,
    help="Also report the period ending then, side by side, with the differences.",
)
@click.option(
    "--compare-from",
    metavar="DATE",
    callback=parse_date,
    help="First day of the compared period [default: 1 January of --compare-until].",
)
@_report_options
@pass_state
def replay_command(
    state: CliState,
    until: dt.date,
    start: dt.date | None,
    compare_until: dt.date | None,
    compare_from: dt.date | None,
    known_at: dt.datetime | None,
    programme: str | None,
    output_format: str,
    weighting: str,
    all_organisations: bool,
    rebuild: bool,
    jobs: int | None,
) -> None:
    """Replay the events up to --until and print the period's statistics."""
    period = _period(start, until, "--from", "--until")
    compared = None
    if compare_until is not None:
        compared = _period(compare_from, compare_until, "--compare-from", "--compare-until")
    elif compare_from is not None:
        raise click.ClickException("--compare-from needs --compare-until")
    options = ReportOptions(
        known_at, programme, output_format, weighting, all_organisations, rebuild, jobs
    )
    _print_report(state, period, options, compared)


def _period(start: dt.date | None, until: dt.date, start_name: str, until_name: str) -> Period:
    from orbit_domain.errors import InvalidValueError
    from orbit_domain.period import Period

    try:
        return Period(start or dt.date(until.year, 1, 1), until)
    except InvalidValueError:
        raise click.ClickException(
            f"the period is empty: {start_name} {start} is after {until_name} {until}"
        ) from None


@click.command("report")
@click.option("--year", required=True, type=click.IntRange(1900, 9999), help="Calendar year.")
@click.option(
    "--compare-to",
    type=click.IntRange(1900, 9999),
    metavar="YEAR",
    help="Also report that year, side by side, with the differences (same --known-at).",
)
@_report_options
@pass_state
def report_command(
    state: CliState,
    year: int,
    compare_to: int | None,
    known_at: dt.datetime | None,
    programme: str | None,
    output_format: str,
    weighting: str,
    all_organisations: bool,
    rebuild: bool,
    jobs: int | None,
) -> None:
    """Print a calendar year's statistics (the annual report's figures)."""
    from orbit_domain.period import Period

    options = ReportOptions(
        known_at, programme, output_format, weighting, all_organisations, rebuild, jobs
    )
    compared = None if compare_to is None else Period.year(compare_to)
    _print_report(state, Period.year(year), options, compared)


class ReportOptions(NamedTuple):
    known_at: dt.datetime | None
    programme: str | None
    output_format: str
    weighting: str
    all_organisations: bool
    rebuild: bool
    jobs: int | None


def _print_report(
    state: CliState, period: Period, options: ReportOptions, compared: Period | None = None
) -> None:
    """Print the report of ``period``, and with ``compared`` that period's report beside
    it (at the same knowledge time) with the differences."""
    report = _report(state, period, options)
    if options.programme is not None and options.programme not in report.programmes:
        known = ", ".join(sorted(report.programmes)) or "none"
        raise click.ClickException(
            f"unknown programme {options.programme!r}: this report has {known}"
        )
    printed = _only_programme(report, options.programme).to_json_dict()
    if compared is not None:
        from orbit_domain.comparison import with_comparison

        other = _only_programme(_report(state, compared, options), options.programme)
        printed = with_comparison(printed, other.to_json_dict())
    click.echo(printer(options.output_format)(printed), nl=False)


def _only_programme(report: Report, programme: str | None) -> Report:
    if programme is None:
        return report
    import attrs

    kept = {name: figures for name, figures in report.programmes.items() if name == programme}
    return attrs.evolve(report, programmes=kept)


def require_events(state: CliState, orbit: Orbit) -> None:
    """Refuse to compute anything for an organisation without events: a mistyped
    ``--organisation`` would otherwise get an empty result and exit 0."""
    if not orbit.holds_events():
        raise click.ClickException(
            f"organisation {state.organisation} has no events in this store "
            "(orbit organisations lists those that have)"
        )


def _report(state: CliState, period: Period, options: ReportOptions) -> Report:
    orbit = state.orbit(needs_key=False)  # statistics are never encrypted
    if not options.all_organisations:
        require_events(state, orbit)
    weighting = Weighting(options.weighting)
    total = 0
    if not state.quiet and sys.stderr.isatty():
        total = orbit.count_replayed(
            until=period.end,
            known_at=options.known_at,
            all_organisations=options.all_organisations,
        )
    with Progress(total, "replaying", "events", enabled=not state.quiet) as progress:
        if options.all_organisations:
            report = orbit.report_all_organisations(
                period,
                known_at=options.known_at,
                weighting=weighting,
                progress=progress.advance,
                rebuild=options.rebuild,
                workers=options.jobs or _usable_cpus(),
            )
        else:
            report = orbit.report(
                period,
                known_at=options.known_at,
                weighting=weighting,
                progress=progress.advance,
                rebuild=options.rebuild,
                workers=options.jobs or _usable_cpus(),
            )
    return report


def _usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, where the system has one)."""
    affinity = getattr(os, "sched_getaffinity", None)
    cpus = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    return min(cpus, DEFAULT_JOBS_LIMIT)

"""``orbit demo``: a synthetic organisation in its own store, and its latest full year's report."""

# ruff: noqa: PLC0415 (the generator and the store are imported when the demo runs)

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from orbit_cli.context import CliState, refuse_in_memory
from orbit_cli.printers import FORMATS, printer
from orbit_cli.safe_text import masked
from orbit_cli.wording import counted

if TYPE_CHECKING:
    from orbit_adapters import Orbit

DEMO_STORE_URL = "sqlite:///orbit-demo.db"
DEMO_YEARS = 4


@click.command("demo")
@click.option("--seed", type=int, default=2024, show_default=True, help="Same seed, same demo.")
@click.option("--participants", type=click.IntRange(min=1), default=600, show_default=True)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
)
@click.pass_context
def demo_command(ctx: click.Context, seed: int, participants: int, output_format: str) -> None:
    """Build a demo organisation, print its latest full year's report, write its annual report.

    The demo goes into ./orbit-demo.db unless --store is given on the command line
    (ORBIT_STORE is ignored here, so a demo never lands in a real store). Running it
    again finds its events already stored and just reports. The annual report
    (årsrapport) goes into ./arsrapport-YYYY.html.
    """
    from orbit_adapters import Orbit
    from orbit_cli.annual_report_command import write_annual_report
    from orbit_domain.period import Period
    from orbit_synthetic import generate_history

    state = ctx.find_object(CliState)
    assert state is not None
    url = _demo_store_url(ctx, state)
    last_year = dt.datetime.now(dt.UTC).year - 1  # the latest full year
    first_year = last_year - DEMO_YEARS + 1
    lines = list(
        generate_history(
            seed=seed, participants=participants, first_year=first_year, last_year=last_year
        )
    )
    refuse_in_memory(url)  # the demo's next steps need the store to outlive the command
    with Orbit.open(url) as orbit:
        _refuse_a_store_with_other_events(orbit, lines[0])
        result = orbit.import_lines(lines)
        click.echo(
            f"demo organisation in {masked(url)}: "
            f"{counted(result.stored + result.already_stored, 'event')} "
            f"({counted(participants, 'participant')}, {first_year}-{last_year})",
            err=True,
        )
        report = orbit.report(Period.year(last_year))
        annual_report = write_annual_report(
            orbit, last_year, output=Path(f"arsrapport-{last_year}.html")
        )
    click.echo(printer(output_format)(report.to_json_dict()), nl=False)
    click.echo(masked(_next_steps(url, last_year)), err=True)
    click.echo(f"\nThe annual report for {last_year} (årsrapport): {annual_report}", err=True)


def _demo_store_url(ctx: click.Context, state: CliState) -> str:
    group = ctx.parent
    if group is not None and group.get_parameter_source("store") is ParameterSource.COMMANDLINE:
        return state.store_url
    return DEMO_STORE_URL


def _refuse_a_store_with_other_events(orbit: Orbit, first_demo_line: str) -> None:
    first_stored = next(iter(orbit.export_lines()), None)
    if first_stored is not None and first_stored != first_demo_line:
        raise click.ClickException(
            f"{orbit.url} already holds other events; "
            "orbit demo writes only into an empty store or its own earlier demo"
        )


def _next_steps(url: str, year: int) -> str:
    store = "" if url == DEMO_STORE_URL else f" --store {url}"
    orbit = f"orbit --store {DEMO_STORE_URL}" if not store else f"orbit{store}"
    return f"""
Next, try:
  {orbit} report --year {year} --format csv > report-{year}.csv
  {orbit} report --year {year} --weighting nav          # Nav's payment rule for seats
  {orbit} replay --from {year}-01-01 --until {year}-06-30   # any period, partial months too
  {orbit} report --year {year} --known-at {year}-07-01T00:00:00Z   # as known on 1 July
  {orbit} export demo-events.jsonl      # then docs/audit.md recomputes the fingerprint
  {orbit} annual-report --year {year} --lang en --format pdf   # the annual report in English"""

"""``orbit annual-report``: the statistical part of the annual report, as a document."""

# ruff: noqa: PLC0415 (Jinja2, Babel, matplotlib, WeasyPrint and XlsxWriter load only when
# the command runs: ``orbit --help`` and every other command stay fast; docs/performance.md)

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from orbit_cli.context import CliState, pass_state
from orbit_cli.io_commands import replaceable
from orbit_cli.params import known_at_option
from orbit_cli.report_commands import require_events

if TYPE_CHECKING:
    from orbit_adapters import Orbit
    from orbit_adapters.annual_report import AnnualConfig, AnnualReport

LANGUAGES = ("nb", "en")
FORMATS = ("html", "pdf", "xlsx", "json")
DEFAULT_ORGANISATION = "default"


@click.command("annual-report")
@click.option("--year", required=True, type=click.IntRange(1900, 9999), help="Calendar year.")
@click.option(
    "--lang",
    "language",
    type=click.Choice(LANGUAGES),
    default="nb",
    show_default=True,
    help="nb: Norwegian bokmål; en: English.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="html",
    show_default=True,
    help="html (one self-contained file), pdf (A4), xlsx (for analysts), json (the data model).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="TOML: organisation name, targets, national averages, socio-economic figures, rates.",
)
@known_at_option("the report as it could have been written then")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Where to write [default: arsrapport-YYYY.<format> (nb), "
    "annual-report-YYYY.<format> (en)].",
)
@pass_state
def annual_report_command(
    state: CliState,
    year: int,
    language: str,
    output_format: str,
    config_path: Path | None,
    known_at: dt.datetime | None,
    output: Path | None,
) -> None:
    """Write the year's annual report (årsrapport) from the events, and print its path."""
    config = read_config(config_path)
    orbit = state.orbit(needs_key=False)  # statistics only
    require_events(state, orbit)
    written = write_annual_report(
        orbit,
        year,
        language=language,
        output_format=output_format,
        config=config,
        known_at=known_at,
        output=output,
        organisation=state.organisation,
    )
    click.echo(str(written))


def read_config(path: Path | None) -> AnnualConfig:
    from orbit_adapters.annual_report import AnnualConfig, ConfigError, load_config

    if path is None:
        return AnnualConfig()
    try:
        return load_config(path)
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def write_annual_report(
    orbit: Orbit,
    year: int,
    *,
    language: str = "nb",
    output_format: str = "html",
    config: AnnualConfig | None = None,
    known_at: dt.datetime | None = None,
    output: Path | None = None,
    organisation: str = DEFAULT_ORGANISATION,
) -> Path:
    """Replay the year and the year before, build the document, write it whole; its path."""
    from orbit_adapters.annual_report import (
        SourceDateEpochError,
        annual_report_document,
        default_filename,
    )

    try:
        report = annual_report_document(
            orbit,
            year,
            language=language,
            output_format=output_format,
            config=config,
            known_at=known_at,
            organisation=organisation,
        )
    except SourceDateEpochError as error:
        raise click.ClickException(str(error)) from None
    path = output or Path(default_filename(year, language, output_format))
    _write_whole(path, _render(report, output_format))
    return path


def _render(report: AnnualReport, output_format: str) -> bytes:
    from orbit_adapters.annual_report import render_document

    if output_format != "pdf":
        return render_document(report, output_format)
    from orbit_adapters.annual_report.render_pdf import PdfUnavailableError

    try:
        return render_document(report, output_format)
    except PdfUnavailableError as error:
        raise click.ClickException(str(error)) from None


def _write_whole(path: Path, content: bytes) -> None:
    """Write beside the target and rename over it: a reader never sees half a file.

    Only a new or plain file is replaced so; a link, a FIFO or a device is written into,
    as export does (a rename would replace the link or the node itself).
    """
    try:
        if not replaceable(path):
            path.write_bytes(content)
            return
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    except OSError as error:
        raise click.ClickException(f"cannot write {path}: {_reason(error)}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
        Path(temporary).chmod(0o644)  # mkstemp's 0600 would hide the report from other readers
        Path(temporary).replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {path}: {_reason(error)}") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()

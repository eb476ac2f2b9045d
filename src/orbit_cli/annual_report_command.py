"""``orbit annual-report``: the statistical part of the annual report, as a document."""

# ruff: noqa: PLC0415 (Jinja2, Babel, matplotlib, WeasyPrint and XlsxWriter load only when
# the command runs: ``orbit --help`` and every other command stay fast; docs/performance.md)

from __future__ import annotations

import datetime as dt
import os
import shlex
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
    from orbit_domain.funding import FundingResult

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


def default_output(year: int, language: str, output_format: str) -> Path:
    stem = "arsrapport" if language == "nb" else "annual-report"
    return Path(f"{stem}-{year}.{output_format}")


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
    from orbit_adapters.annual_report import AnnualConfig, build_annual_report
    from orbit_domain.period import Period

    config = config or AnnualConfig()
    made_at = _made_at()
    current = orbit.report(Period.year(year), known_at=known_at).to_json_dict()
    previous = orbit.report(Period.year(year - 1), known_at=known_at).to_json_dict()
    # Without --known-at the reports apply every event; the last one's recorded_at
    # reproduces them (the made-on date need not: SOURCE_DATE_EPOCH, clock skew).
    funded = funding_result(orbit, year, known_at, config)
    reproducing_known_at = (
        known_at or orbit.last_recorded_at(until=Period.year(year).end) or made_at
    )
    report = build_annual_report(
        current,
        previous,
        config,
        language=language,
        funding_months=funded.months,
        funding_missing=tuple(missing.programme for missing in funded.missing_rates),
        made_at=made_at,
        orbit_version=_orbit_version(),
        command=_reproducing_command(
            year, language, output_format, config, reproducing_known_at, organisation
        ),
    )
    path = output or default_output(year, language, output_format)
    _write_whole(path, _render(report, output_format))
    return path


def funding_result(
    orbit: Orbit, year: int, known_at: dt.datetime | None, config: AnnualConfig
) -> FundingResult:
    """Nav's payment computation for the year (section 11), with the configured rates."""
    from orbit_domain.period import Period

    return orbit.funding(Period.year(year), known_at=known_at, rates=config.rates)


def _render(report: AnnualReport, output_format: str) -> bytes:
    if output_format == "html":
        from orbit_adapters.annual_report.render_html import render_html

        return render_html(report).encode()
    if output_format == "pdf":
        from orbit_adapters.annual_report.render_pdf import PdfUnavailableError, render_pdf

        try:
            return render_pdf(report)
        except PdfUnavailableError as error:
            raise click.ClickException(str(error)) from None
    if output_format == "xlsx":
        from orbit_adapters.annual_report.render_xlsx import render_xlsx

        return render_xlsx(report)
    from orbit_adapters.annual_report.render_json import render_json

    return render_json(report).encode()


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


def _made_at() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` for reproducible builds (the only date that varies)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except ValueError:
            raise click.ClickException(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds"
            ) from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _orbit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("orbit")
    except PackageNotFoundError:
        return "unknown"


def _reproducing_command(
    year: int,
    language: str,
    output_format: str,
    config: AnnualConfig,
    known_at: dt.datetime,
    organisation: str,
) -> str:
    # To the microsecond when it has them: whole seconds would leave out the events
    # recorded in that second after it.
    utc = known_at.astimezone(dt.UTC).replace(tzinfo=None)
    moment = utc.isoformat(timespec="microseconds" if utc.microsecond else "seconds") + "Z"
    parts = ["orbit"]
    if organisation != DEFAULT_ORGANISATION:
        parts += ["--organisation", organisation]
    parts += ["annual-report", "--year", str(year), "--known-at", moment]
    parts += ["--lang", language, "--format", output_format]
    if config.source is not None:
        parts += ["--config", config.source]
    return shlex.join(parts)  # a configuration path may hold a space

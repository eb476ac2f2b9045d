"""The annual report of one organisation's year, from its store to the bytes of a file.

``orbit annual-report`` and ``orbit serve`` both produce it here, so that the two give
the same document (and, with ``SOURCE_DATE_EPOCH``, the same bytes).
"""

# ruff: noqa: PLC0415 (each renderer loads a large library: only the one asked for is imported)

from __future__ import annotations

import datetime as dt
import os
import shlex
from typing import TYPE_CHECKING

from orbit_adapters.annual_report.builder import build_annual_report
from orbit_adapters.annual_report.config import AnnualConfig
from orbit_adapters.annual_report.model import AnnualReport
from orbit_domain.period import Period

if TYPE_CHECKING:
    from orbit_adapters.service import Orbit
    from orbit_domain.funding import FundingResult

LANGUAGES = ("nb", "en")
FORMATS = ("html", "pdf", "xlsx", "json")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
DEFAULT_ORGANISATION = "default"


class SourceDateEpochError(ValueError):
    """``SOURCE_DATE_EPOCH`` is set but is not a whole number of seconds."""


def annual_report_document(
    orbit: Orbit,
    year: int,
    *,
    language: str = "nb",
    output_format: str = "html",
    config: AnnualConfig | None = None,
    known_at: dt.datetime | None = None,
    organisation: str = DEFAULT_ORGANISATION,
    made_at: dt.datetime | None = None,
) -> AnnualReport:
    """Replay the year and the year before and build the document.

    ``output_format`` only goes into the command printed in the document that
    reproduces it; ``made_at`` defaults to :func:`made_at_now`.
    """
    config = config or AnnualConfig()
    made_at = made_at or made_at_now()
    current = orbit.report(Period.year(year), known_at=known_at).to_json_dict()
    previous = orbit.report(Period.year(year - 1), known_at=known_at).to_json_dict()
    funded = funding_result(orbit, year, known_at, config)
    # Without --known-at the reports apply every event; the last one's recorded_at
    # reproduces them (the made-on date need not: SOURCE_DATE_EPOCH, clock skew).
    reproducing_known_at = (
        known_at or orbit.last_recorded_at(until=Period.year(year).end) or made_at
    )
    return build_annual_report(
        current,
        previous,
        config,
        language=language,
        funding_months=funded.months,
        funding_missing=tuple(missing.programme for missing in funded.missing_rates),
        made_at=made_at,
        orbit_version=orbit_version(),
        command=reproducing_command(
            year, language, output_format, config, reproducing_known_at, organisation
        ),
    )


def funding_result(
    orbit: Orbit, year: int, known_at: dt.datetime | None, config: AnnualConfig
) -> FundingResult:
    """Nav's payment computation for the year (section 11), with the configured rates."""
    return orbit.funding(Period.year(year), known_at=known_at, rates=config.rates)


def render_document(report: AnnualReport, output_format: str) -> bytes:
    """The document in one of ``FORMATS``; a PDF may raise ``PdfUnavailableError``."""
    if output_format == "html":
        from orbit_adapters.annual_report.render_html import render_html

        return render_html(report).encode()
    if output_format == "pdf":
        from orbit_adapters.annual_report.render_pdf import render_pdf

        return render_pdf(report)
    if output_format == "xlsx":
        from orbit_adapters.annual_report.render_xlsx import render_xlsx

        return render_xlsx(report)
    if output_format == "json":
        from orbit_adapters.annual_report.render_json import render_json

        return render_json(report).encode()
    raise ValueError(f"unknown annual report format {output_format!r}")


def default_filename(year: int, language: str, output_format: str) -> str:
    stem = "arsrapport" if language == "nb" else "annual-report"
    return f"{stem}-{year}.{output_format}"


def made_at_now() -> dt.datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` for reproducible builds (the only date that varies)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except ValueError:
            raise SourceDateEpochError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds"
            ) from None
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def orbit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("orbit")
    except PackageNotFoundError:
        return "unknown"


def reproducing_command(
    year: int,
    language: str,
    output_format: str,
    config: AnnualConfig,
    known_at: dt.datetime,
    organisation: str,
) -> str:
    """The ``orbit annual-report`` command that makes the same document again."""
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

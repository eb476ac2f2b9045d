"""Build the annual report's document model from two report-v1 reports and the configuration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from orbit_adapters.annual_report.config import AnnualConfig
from orbit_adapters.annual_report.context import BuildContext, ReportDict, SectionParts
from orbit_adapters.annual_report.model import AnnualReport, Section, Source
from orbit_adapters.annual_report.sections_activity import passive_to_active, socioeconomic
from orbit_adapters.annual_report.sections_aft import aft_results
from orbit_adapters.annual_report.sections_courses import courses
from orbit_adapters.annual_report.sections_organisation import (
    FundingMonthLike,
    colophon,
    funding,
    quality,
)
from orbit_adapters.annual_report.sections_seats import allocations, seat_usage
from orbit_adapters.annual_report.sections_surveys import surveys
from orbit_adapters.annual_report.sections_target import target_and_national
from orbit_adapters.annual_report.sections_vta import vta
from orbit_adapters.annual_report.words import LANGUAGES, day_text

# key: (nb title, en title, nb sheet name, en sheet name)
SECTION_NAMES = {
    "about": ("Om rapporten", "About this report", "Om rapporten", "About"),
    "aft": ("Resultater i AFT", "Results in AFT", "Resultater AFT", "Results AFT"),
    "target": (
        "Mot Nav sitt målkrav og landsgjennomsnittet",
        "Against Nav's target and the national average",
        "Målkrav og landssnitt",
        "Target and national",
    ),
    "surveys": ("Brukerundersøkelser", "Surveys", "Undersøkelser", "Surveys"),
    "vta": ("Varig tilrettelagt arbeid (VTA)", "Permanent adapted work (VTA)", "VTA", "VTA"),
    "allocations": (
        "Tildelte rammer pr. 31.12.",
        "Allocated seats through the year",
        "Tildelte rammer",
        "Allocated seats",
    ),
    "seat_usage": ("Bruk av plassene", "Seat usage", "Plassbruk", "Seat usage"),
    "courses": ("Kurs", "Courses", "Kurs", "Courses"),
    "activity": (
        "Fra passiv ytelse til aktivitet",
        "From passive benefits to activity",
        "Passiv til aktivitet",
        "Passive to active",
    ),
    "socioeconomic": (
        "Samfunnsøkonomisk anslag",
        "Socio-economic estimate",
        "Samfunnsøkonomi",
        "Socio-economics",
    ),
    "funding": ("Utbetaling fra Nav", "Payment from Nav", "Utbetaling", "Payment"),
    "quality": ("Kvalitet og kompetanse", "Quality and competence", "Kvalitet", "Quality"),
}

LABELS = {
    "nb": {
        "title": "Årsrapport",
        "subtitle": "Statistikk fra orbit",
        "contents": "Innhold",
        "page": "Side",
        "of": "av",
        "chart_numbers": "Tallene i figuren",
        "omitted": "Ikke med",
    },
    "en": {
        "title": "Annual report",
        "subtitle": "Statistics from orbit",
        "contents": "Contents",
        "page": "Page",
        "of": "of",
        "chart_numbers": "The chart's numbers",
        "omitted": "Not included",
    },
}


def build_annual_report(
    current: ReportDict,
    previous: ReportDict | None,
    config: AnnualConfig,
    *,
    language: str,
    funding_months: Sequence[FundingMonthLike] | None,
    funding_missing: Sequence[str] = (),
    made_at: dt.datetime,
    orbit_version: str,
    command: str,
) -> AnnualReport:
    """The whole document, every figure rounded and every sentence written.

    ``current`` and ``previous`` are report-v1 (revision 2) objects of the year and the
    year before, replayed with the same knowledge time. ``funding_months`` is Nav's
    payment computation for the year (``Orbit.funding(...).months``), or ``None`` when
    it is not available, which leaves section 11 out; ``funding_missing`` names the
    programmes it has no rate for (``missing_rates``), each left out with a line saying so.
    """
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}: use one of {', '.join(LANGUAGES)}")
    year = int(current["period"]["from"][:4])
    ctx = BuildContext(
        language=language, year=year, current=current, previous=previous, config=config
    )
    sources = tuple(
        Source(
            year=int(report["period"]["from"][:4]),
            period_from=report["period"]["from"],
            period_until=report["period"]["until"],
            events_replayed=report["events_replayed"],
            fingerprint=report.get("fingerprint", ""),
        )
        for report in (current, previous)
        if report is not None
    )
    made_on = day_text(made_at.date(), language)
    known_at = _moment_text(current.get("known_at"), language)
    builders: list[tuple[str, Callable[[], SectionParts | str]]] = [
        ("about", lambda: colophon(ctx, sources, made_on, known_at, orbit_version, command)),
        ("aft", lambda: aft_results(ctx)),
        ("target", lambda: target_and_national(ctx)),
        ("surveys", lambda: surveys(ctx)),
        ("vta", lambda: vta(ctx)),
        ("allocations", lambda: allocations(ctx)),
        ("seat_usage", lambda: seat_usage(ctx)),
        ("courses", lambda: courses(ctx)),
        ("activity", lambda: passive_to_active(ctx)),
        ("socioeconomic", lambda: socioeconomic(ctx)),
        ("funding", lambda: funding(ctx, funding_months, funding_missing)),
        ("quality", lambda: quality(ctx)),
    ]
    sections = tuple(
        _section(ctx, number, key, build()) for number, (key, build) in enumerate(builders, start=1)
    )
    labels = LABELS[language]
    place = f"{config.place}, " if config.place else ""
    return AnnualReport(
        language=language,
        year=year,
        title=f"{labels['title']} {year}",
        organisation_name=config.organisation_name,
        dateline=f"{place}{made_on}",
        made_at=made_at,
        known_at=current.get("known_at"),
        sources=sources,
        orbit_version=orbit_version,
        command=command,
        sections=sections,
        labels=labels,
    )


def _section(ctx: BuildContext, number: int, key: str, parts: SectionParts | str) -> Section:
    nb_title, en_title, nb_sheet, en_sheet = SECTION_NAMES[key]
    title = ctx.say(nb_title, en_title)
    sheet = f"{number} {ctx.say(nb_sheet, en_sheet)}"
    if isinstance(parts, str):
        return Section(key=key, number=number, title=title, sheet=sheet, omitted=parts)
    sentences, tables, charts = parts
    return Section(
        key=key,
        number=number,
        title=title,
        sheet=sheet,
        sentences=sentences,
        tables=tables,
        charts=charts,
    )


def _moment_text(moment: str | None, language: str) -> str | None:
    """A knowledge time as a reader writes it: "30. september 2024 kl. 00.00 UTC"."""
    if moment is None:
        return None
    parsed = dt.datetime.fromisoformat(moment).astimezone(dt.UTC)
    if language == "nb":
        return f"{day_text(parsed.date(), language)} kl. {parsed:%H.%M} UTC"
    return f"{day_text(parsed.date(), language)}, {parsed:%H:%M} UTC"

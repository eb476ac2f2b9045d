"""The words a synthetic history is written in: places, departments, courses, free texts.

All names are ordinary Norwegian municipality names, generic workplace names and the
course codes the spec's examples use; no real person or business is described.
"""

from __future__ import annotations

import attrs

from orbit_domain.outcomes import Outcome

# One region per organisation; the first municipality is the regional centre and sends
# the most referrals.
REGIONS: tuple[tuple[str, ...], ...] = (
    (
        "Lillestrøm",
        "Lørenskog",
        "Ullensaker",
        "Nes",
        "Eidsvoll",
        "Nittedal",
        "Rælingen",
        "Aurskog-Høland",
        "Nannestad",
        "Enebakk",
        "Gjerdrum",
        "Hurdal",
    ),
    ("Bergen", "Askøy", "Øygarden", "Bjørnafjorden", "Alver", "Osterøy", "Vaksdal"),
    ("Trondheim", "Malvik", "Melhus", "Stjørdal", "Orkland", "Skaun"),
    ("Stavanger", "Sandnes", "Sola", "Randaberg", "Klepp", "Time", "Strand"),
    ("Tromsø", "Balsfjord", "Karlsøy", "Lyngen"),
    ("Tønsberg", "Sandefjord", "Larvik", "Horten", "Færder", "Holmestrand"),
    ("Hamar", "Ringsaker", "Stange", "Løten", "Elverum"),
    ("Kristiansand", "Vennesla", "Lillesand", "Birkenes", "Iveland"),
    ("Drammen", "Lier", "Øvre Eiker", "Kongsberg", "Modum"),
    ("Bodø", "Saltdal", "Fauske", "Gildeskål"),
)

DEPARTMENTS: dict[str, tuple[str, ...]] = {
    "AFT": (
        "Kantine og kafé",
        "Verksted",
        "Kontor og IT",
        "Logistikk og lager",
        "Butikk",
        "Renhold",
        "Grønt og utemiljø",
    ),
    "VTA": ("Montasje", "Emballasje", "Snekkerverksted", "Vaskeri", "Kafé", "Gartneri"),
    "LAERLING": ("Lærlingkontoret",),
}

# Ordinary workplaces for hospitering and external practice; "{m}" is a municipality.
EMPLOYER_TEMPLATES: tuple[str, ...] = (
    "{m} sykehjem",
    "{m} barnehage",
    "{m} kommune, teknisk drift",
    "Dagligvare {m}",
    "{m} Bil og Dekk AS",
    "Lager og Logistikk {m} AS",
    "Hotell {m}",
    "{m} Byggvare AS",
    "Kafé Torget {m}",
)


@attrs.frozen
class Course:
    code: str
    category: str
    licence_share: float  # how often a paid user licence is used for it
    days: tuple[int, int]  # from start to completion, at least one day


COURSES: dict[str, Course] = {
    course.code: course
    for course in (
        Course("migranorsk", "language", 0.7, (40, 150)),
        Course("norsk:arbeidsliv", "language", 0.0, (30, 90)),
        Course("dpl:word", "computer_room", 0.3, (5, 25)),
        Course("dpl:excel", "computer_room", 0.3, (5, 25)),
        Course("karriereportalen", "computer_room", 0.8, (10, 60)),
        Course("forklift", "certificate", 0.0, (3, 10)),
        Course("hygienekurs", "certificate", 0.0, (1, 3)),
        Course("førstehjelp", "certificate", 0.0, (1, 2)),
        Course("vr:interview", "vr", 0.6, (1, 14)),
        Course("vr:workplace", "vr", 0.6, (1, 14)),
    )
}

WITHDRAWAL_REASONS: tuple[str, ...] = (
    "Takket nei til plass",
    "Fikk jobb før oppstart",
    "Ikke møtt til oppstartsamtale",
    "Helsemessige årsaker",
    "Flyttet",
    "Nav omgjorde vedtaket",
)

EXIT_NOTES: dict[Outcome, tuple[str, ...]] = {
    Outcome.WORK_UNSUBSIDISED: ("Fast ansatt", "Midlertidig stilling", "Deltidsstilling"),
    Outcome.WORK_SUBSIDISED: ("Lønnstilskudd 12 mnd", "Lønnstilskudd, varig"),
    Outcome.VTO: ("VTA i ordinær virksomhet",),
    Outcome.EDUCATION_SELF_FUNDED: ("Studiestart høst", "Videregående opplæring"),
    Outcome.EDUCATION_NAV_FUNDED: ("Fagbrev med støtte fra Nav", "Opplæringstiltak"),
    Outcome.OTHER_ACTIVE: ("Overført til annet tiltak", "Arbeidstrening hos annen arrangør"),
    Outcome.TREATMENT: ("Sykmeldt", "Behandling"),
    Outcome.PENSION: ("Innvilget uføretrygd", "Alderspensjon"),
    Outcome.NO_ACTIVE: ("Ikke møtt over tid", "Flyttet"),
    Outcome.UNKNOWN: ("Avbrutt uten kontakt", "Mangler informasjon"),
}

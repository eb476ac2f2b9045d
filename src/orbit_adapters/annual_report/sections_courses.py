"""Section 8: participants per course category and per course, and licences used."""

from __future__ import annotations

from collections.abc import Mapping

from orbit_adapters.annual_report.context import (
    BuildContext,
    SectionParts,
)
from orbit_adapters.annual_report.model import Cell, Table
from orbit_adapters.annual_report.words import (
    listing,
    number_word,
    numbers_together,
)

CATEGORY_NAMES = {
    "nb": {
        "computer_room": "Datarommet",
        "certificate": "Sertifikatkurs",
        "language": "Språkkurs",
        "vr": "VR-trening",
    },
    "en": {
        "computer_room": "The computer room",
        "certificate": "Certificate courses",
        "language": "Language courses",
        "vr": "VR training",
    },
}
COURSE_NAMES = {
    "nb": {
        "migranorsk": "Migranorsk",
        "norskkurs": "Norskkurs",
        "norsk:arbeidsliv": "Norsk for arbeidslivet",
        "karriereportalen": "Karriereportalen",
        "dpl:word": "Word (datarommet)",
        "dpl:excel": "Excel (datarommet)",
        "forklift": "Truckførerkurs",
        "hygienekurs": "Hygienekurs",
        "førstehjelp": "Førstehjelp",
        "vr:interview": "Intervjutrening i VR",
        "vr:workplace": "Arbeidsplasstrening i VR",
    },
    "en": {
        "migranorsk": "Migranorsk",
        "norskkurs": "Norwegian course",
        "norsk:arbeidsliv": "Norwegian for working life",
        "karriereportalen": "Karriereportalen",
        "dpl:word": "Word (computer room)",
        "dpl:excel": "Excel (computer room)",
        "forklift": "Forklift certificate",
        "hygienekurs": "Food hygiene course",
        "førstehjelp": "First aid",
        "vr:interview": "Interview training in VR",
        "vr:workplace": "Workplace training in VR",
    },
}
"""The courses orbit's generator and the seed use; any other code is printed as it is."""


def courses(ctx: BuildContext) -> SectionParts | str:
    codes = ctx.programmes()
    by_category: dict[str, dict[str, int]] = {}
    by_course: dict[str, dict[str, int]] = {}
    licences = 0
    for code in codes:
        programme = ctx.programme(code)
        assert programme is not None
        figures = programme.get("courses", {})
        for category, counts in figures.get("by_category", {}).items():
            by_category.setdefault(category, {})[code] = counts["participants"]
        for course, counts in figures.get("by_course", {}).items():
            by_course.setdefault(course, {})[code] = counts["participants"]
        licences += figures.get("licences_used", 0)
    if not by_course:
        return ctx.say(
            f"Ingen deltakere begynte på kurs i {ctx.year}.",
            f"No participant started a course in {ctx.year}.",
        )
    sentences = []
    for category, counts in sorted(
        by_category.items(), key=lambda item: (-sum(item[1].values()), item[0])
    ):
        name = CATEGORY_NAMES[ctx.language].get(category, category)
        total = sum(counts.values())
        people = (
            ctx.count(total, "deltaker", "deltakere")
            if ctx.nb
            else ctx.count(total, "participant", "participants")
        )
        text = ctx.say(f"{name} hadde {people}", f"{name} had {people}")
        largest = max(counts, key=lambda code: (counts[code], code))
        others = [(code, count) for code, count in counts.items() if code != largest and count]
        written = numbers_together([total, *(count for _, count in others)], ctx.language)
        text = ctx.say(
            f"{name} hadde {written[0]} {people.split(' ', 1)[1]}",
            f"{name} had {written[0]} {people.split(' ', 1)[1]}",
        )
        parts = [
            f"{amount} {ctx.say('fra', 'from')} {code}"
            for amount, (code, _) in zip(written[1:], others, strict=True)
        ]
        if parts:
            text += ctx.say(
                f", av dem {listing(parts, ctx.language)}",
                f", of whom {listing(parts, ctx.language)}",
            )
        sentences.append(
            ctx.sentence(f"category_{category}", text + ".", participants=total, **counts)
        )
    course_list = [
        f"{COURSE_NAMES[ctx.language].get(course, course)} {sum(counts.values())}"
        for course, counts in sorted(
            by_course.items(), key=lambda item: (-sum(item[1].values()), item[0])
        )
    ]
    sentences.append(
        ctx.sentence(
            "courses",
            ctx.say(
                f"Deltakere per kurs: {listing(course_list, ctx.language)}.",
                f"Participants per course: {listing(course_list, ctx.language)}.",
            ),
            **{course: sum(counts.values()) for course, counts in by_course.items()},
        )
    )
    sentences.append(
        ctx.sentence(
            "licences",
            ctx.say(
                f"I {ctx.year} ble det brukt {number_word(licences, ctx.language)} kurslisenser.",
                f"In {ctx.year}, {number_word(licences, ctx.language)} course licences were used.",
            )
            if licences != 1
            else ctx.say(
                f"I {ctx.year} ble det brukt én kurslisens.",
                f"In {ctx.year}, one course licence was used.",
            ),
            licences_used=licences,
        )
    )
    present = tuple(code for code in codes if any(code in counts for counts in by_course.values()))
    tables = (
        _course_table(
            ctx,
            "course_categories",
            ctx.say("Deltakere per kurskategori", "Participants per course category"),
            ctx.say("Kategori", "Category"),
            {
                CATEGORY_NAMES[ctx.language].get(key, key): value
                for key, value in by_category.items()
            },
            present,
        ),
        _course_table(
            ctx,
            "courses",
            ctx.say("Deltakere per kurs", "Participants per course"),
            ctx.say("Kurs", "Course"),
            {COURSE_NAMES[ctx.language].get(key, key): value for key, value in by_course.items()},
            present,
        ),
    )
    return tuple(sentences), tables, ()


def _course_table(
    ctx: BuildContext,
    key: str,
    caption: str,
    first: str,
    counts: Mapping[str, Mapping[str, int]],
    codes: tuple[str, ...],
) -> Table:
    rows = tuple(
        (
            Cell(name),
            *(ctx.count_cell(by_code.get(code, 0)) for code in codes),
            ctx.count_cell(sum(by_code.values())),
        )
        for name, by_code in sorted(
            counts.items(), key=lambda item: (-sum(item[1].values()), item[0])
        )
    )
    return Table(
        key=key, caption=caption, columns=(first, *codes, ctx.say("I alt", "Total")), rows=rows
    )

"""Sections 5 to 8: VTA, the allocated seats, their use, and the courses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from orbit_adapters.annual_report.context import (
    OUTCOME_PHRASES,
    BuildContext,
    placement_split,
    seat_spans,
)
from orbit_adapters.annual_report.model import Cell, Chart, Sentence, Series, Table
from orbit_adapters.annual_report.numbers import round_half_up
from orbit_adapters.annual_report.sections_results import (
    SectionParts,
    outcome_table,
    survey_sentence,
)
from orbit_adapters.annual_report.words import (
    capitalised,
    from_text,
    listing,
    month_name,
    number_word,
    numbers_together,
    span_phrase,
    span_text,
)


def vta(ctx: BuildContext) -> SectionParts | str:
    programme = ctx.programme("VTA")
    if programme is None:
        return ctx.say(
            f"VTA hadde ingen deltakere i {ctx.year}.", f"VTA had no participants in {ctx.year}."
        )
    sentences = [
        _served(ctx, programme),
        *_added_seats(ctx, programme),
        *_hospitering(ctx, programme),
    ]
    sentences += _starts(ctx, programme)
    sentences += _exits_in_words(ctx, programme)
    sentences += [
        survey_sentence(ctx, "VTA", name, survey)
        for name, survey in sorted(programme.get("surveys", {}).items())
    ]
    tables = (outcome_table(ctx, programme, "VTA"),) if programme.get("exits", 0) else ()
    return tuple(sentences), tables, ()


def _seats_text(ctx: BuildContext, seats: float) -> str:
    return ctx.fmt.figure(seats)


def _seats_in_words(ctx: BuildContext, seats: float) -> str:
    """Whole seats from one to twelve in words in running text ("sju plasser")."""
    return (
        number_word(int(seats), ctx.language)
        if float(seats).is_integer()
        else ctx.fmt.figure(seats)
    )


def _served(ctx: BuildContext, programme: Mapping[str, Any]) -> Sentence:
    served: int = programme.get("participants_served", 0)
    allocated = [
        month["allocated"]
        for month in programme.get("seat_usage", {}).get("months", [])
        if month["allocated"]
    ]
    people = (
        ctx.count(served, "deltaker", "deltakere")
        if ctx.nb
        else ctx.count(served, "participant", "participants")
    )
    text = ctx.say(f"VTA hadde {people} i {ctx.year}", f"VTA had {people} in {ctx.year}")
    values: dict[str, Any] = {"participants_served": served}
    if allocated:
        low, high = min(allocated), max(allocated)
        seats = (
            _seats_text(ctx, low)
            if round_half_up(low, 1) == round_half_up(high, 1)
            else f"{_seats_text(ctx, low)}–{_seats_text(ctx, high)}"
        )
        text += ctx.say(f", på {seats} plasser (månedsverk)", f", on {seats} seats (seat-months)")
        values |= {"seats_low": round_half_up(low, 1), "seats_high": round_half_up(high, 1)}
    return ctx.sentence("vta_served", text + ".", **values)


def _added_seats(ctx: BuildContext, programme: Mapping[str, Any]) -> list[Sentence]:
    """How the seats changed against the day before the year: "startet året med 6 ekstra ..."."""
    before = programme.get("seat_usage", {}).get("allocated_before")
    spans = seat_spans(programme)
    if before is None or not spans:
        return []
    steps: list[tuple[dt.date, Decimal]] = []
    level = Decimal(str(before))
    for start, _, seats in spans:
        if Decimal(str(seats)) != level:
            steps.append((start, Decimal(str(seats)) - level))
        level = Decimal(str(seats))
    total = level - Decimal(str(before))
    values = {"allocated_before": Decimal(str(before)), "added": total}
    if not steps:
        text = ctx.say(
            f"VTA hadde like mange plasser gjennom hele {ctx.year}.",
            f"VTA's seats did not change during {ctx.year}.",
        )
        return [ctx.sentence("vta_added_seats", text, **values)]
    amounts = [abs(change) for _, change in steps] + [abs(total)]
    if all(amount == amount.to_integral_value() for amount in amounts):
        written = numbers_together([int(amount) for amount in amounts], ctx.language)
    else:
        written = tuple(ctx.fmt.figure(amount) for amount in amounts)
    opening = ""
    later = []
    for (start, change), amount in zip(steps, written, strict=False):
        if start == dt.date(ctx.year, 1, 1):
            opening = ctx.say(
                f"startet året med {amount} {'ekstra' if change > 0 else 'færre'} plasser",
                f"started the year with {amount} {'extra' if change > 0 else 'fewer'} seats",
            )
        else:
            more = ctx.say("til" if change > 0 else "færre", "more" if change > 0 else "fewer")
            later.append(f"{amount} {more} {from_text(start, ctx.language)}")
    parts = [opening] if opening else []
    if later:
        parts.append(ctx.say("fikk ", "got ") + listing(later, ctx.language))
    if total > 0:
        overall = ctx.say(
            f"{written[-1]} ekstra plasser i alt", f"{written[-1]} extra seats in all"
        )
    elif total < 0:
        overall = ctx.say(f"{written[-1]} færre plasser i alt", f"{written[-1]} fewer seats in all")
    else:
        overall = ctx.say("like mange plasser som før", "as many seats as before")
    if len(steps) == 1 and opening:
        text = ctx.say(
            f"VTA {opening} enn ved utgangen av {ctx.year - 1}.",
            f"VTA {opening} than at the end of {ctx.year - 1}.",
        )
    else:
        text = f"VTA {', '.join(parts)}: {overall}."
    return [ctx.sentence("vta_added_seats", text, **values)]


def _hospitering(ctx: BuildContext, programme: Mapping[str, Any]) -> list[Sentence]:
    current: int = programme.get("hospitering_participants", 0)
    previous_programme = ctx.previous_programme("VTA")
    values: dict[str, Any] = {"hospitering_participants": current}
    if previous_programme is None:
        (now,) = numbers_together((current,), ctx.language)
        return [
            ctx.sentence(
                "vta_hospitering",
                ctx.say(
                    f"I {ctx.year} hadde {now} deltakere hospitering.",
                    f"In {ctx.year}, {now} participants had a work trial (hospitering).",
                ),
                **values,
            )
        ]
    before: int = previous_programme.get("hospitering_participants", 0)
    now, then = numbers_together((current, before), ctx.language)
    values["previous"] = before
    noun = ctx.say(
        "deltaker" if current == 1 else "deltakere",
        "participant" if current == 1 else "participants",
    )
    compared = (
        ctx.say(f"like mange som i {ctx.year - 1}", f"as many as in {ctx.year - 1}")
        if current == before
        else ctx.say(f"mot {then} i {ctx.year - 1}", f"against {then} in {ctx.year - 1}")
    )
    return [
        ctx.sentence(
            "vta_hospitering",
            ctx.say(
                f"I {ctx.year} hadde {now} {noun} hospitering i ordinært arbeid, {compared}.",
                f"In {ctx.year}, {now} {noun} had a work trial (hospitering) in an ordinary workplace, {compared}.",
            ),
            **values,
        )
    ]


def _starts(ctx: BuildContext, programme: Mapping[str, Any]) -> list[Sentence]:
    starts: int = programme.get("new_starts", 0)
    early: int = programme.get("early_leavers", 0)
    people = (
        ctx.count(starts, "ny deltaker", "nye deltakere")
        if ctx.nb
        else ctx.count(starts, "new participant", "new participants")
    )
    first = ctx.say(
        f"I {ctx.year} begynte {people} i VTA.", f"In {ctx.year}, {people} started in VTA."
    )
    if starts == 0:
        return [ctx.sentence("vta_new_starts", first, new_starts=0)]
    if early == 0:
        second = ctx.say(
            "Ingen av disse sluttet igjen samme år.", "None of them left again the same year."
        )
    else:
        who = number_word(early, ctx.language)
        second = ctx.say(
            f"{capitalised(who)} av disse sluttet igjen i løpet av året.",
            f"{capitalised(who)} of them left again during the year.",
        )
    return [
        ctx.sentence("vta_new_starts", f"{first} {second}", new_starts=starts, early_leavers=early)
    ]


def _exits_in_words(ctx: BuildContext, programme: Mapping[str, Any]) -> list[Sentence]:
    exits: int = programme.get("exits", 0)
    if exits == 0:
        return [
            ctx.sentence(
                "vta_exits",
                ctx.say(f"Ingen avsluttet VTA i {ctx.year}.", f"Nobody left VTA in {ctx.year}."),
                exits=0,
            )
        ]
    outcomes = [
        (code, count) for code, count in programme.get("exits_by_outcome", {}).items() if count
    ]
    written = numbers_together([exits, *(count for _, count in outcomes)], ctx.language)
    people = ctx.say(
        "deltaker" if exits == 1 else "deltakere", "participant" if exits == 1 else "participants"
    )
    parts = [
        f"{text} {OUTCOME_PHRASES[ctx.language][code]}"
        for text, (code, _) in zip(written[1:], outcomes, strict=True)
    ]
    _, _, placed_share, _ = placement_split(programme)
    first = ctx.say(
        f"{capitalised(written[0])} {people} avsluttet VTA i {ctx.year}: {listing(parts, ctx.language)}.",
        f"{capitalised(written[0])} {people} left VTA in {ctx.year}: {listing(parts, ctx.language)}.",
    )
    second = ctx.say(
        f"Formidlingsprosenten i VTA var dermed {ctx.fmt.percent(placed_share)}.",
        f"VTA's placement rate was thus {ctx.fmt.percent(placed_share)}.",
    )
    return [
        ctx.sentence("vta_exits", first, exits=exits, **dict(outcomes)),
        ctx.sentence("vta_placement_rate", second, placement_rate=Decimal(placed_share) / 100),
    ]


def allocations(ctx: BuildContext) -> SectionParts | str:
    sentences = []
    tables = []
    for code in ctx.programmes():
        programme = ctx.programme(code)
        assert programme is not None
        spans = seat_spans(programme)
        if not spans:
            continue
        whole_year = (
            len(spans) == 1
            and spans[0][0] == dt.date(ctx.year, 1, 1)
            and spans[0][1] == dt.date(ctx.year, 12, 31)
        )
        if whole_year:
            seats = _seats_in_words(ctx, spans[0][2])
            text = ctx.say(
                f"{code} hadde {seats} tildelte plasser hele året.",
                f"{code} had {seats} allocated seats all year.",
            )
        else:
            seats_noun = ctx.say("tildelte plasser", "allocated seats")
            parts = [
                f"{ctx.fmt.figure(seats)}{f' {seats_noun}' if index == 0 else ''} "
                f"{span_phrase(start, end, ctx.language)}"
                for index, (start, end, seats) in enumerate(spans)
            ]
            text = ctx.say(
                f"{code} hadde {listing(parts, ctx.language)}.",
                f"{code} had {listing(parts, ctx.language)}.",
            )
        sentences.append(ctx.sentence(f"allocations_{code}", text, spans=len(spans)))
        tables.append(
            Table(
                key=f"allocations_{code}",
                caption=ctx.say(
                    f"Tildelte rammer for {code} i {ctx.year}",
                    f"Allocated seats of {code} in {ctx.year}",
                ),
                columns=(ctx.say("Periode", "Period"), ctx.say("Plasser", "Seats")),
                rows=tuple(
                    (Cell(capitalised(span_text(start, end, ctx.language))), ctx.figure_cell(seats))
                    for start, end, seats in spans
                ),
            )
        )
    if not tables:
        return ctx.say(
            f"Ingen tiltak hadde tildelte plasser i {ctx.year}.",
            f"No programme had allocated seats in {ctx.year}.",
        )
    return tuple(sentences), tuple(tables), ()


def seat_usage(ctx: BuildContext) -> SectionParts | str:
    sentences = []
    tables = []
    charts = []
    for code in ctx.programmes():
        programme = ctx.programme(code)
        assert programme is not None
        usage = programme.get("seat_usage", {})
        months = usage.get("months", [])
        allocated_total = usage.get("allocated_total", 0.0)
        if not allocated_total:
            continue
        used_total = usage.get("used_total", 0.0)
        utilisation = round_half_up(
            Decimal(repr(used_total)) / Decimal(repr(allocated_total)) * 100
        )
        sentences.append(
            ctx.sentence(
                f"seat_usage_{code}",
                ctx.say(
                    f"{code} brukte {ctx.fmt.figure(used_total)} månedsverk mot {ctx.fmt.figure(allocated_total)} tildelte "
                    f"i {ctx.year}, en utnyttelsesgrad på {ctx.fmt.percent(utilisation)}.",
                    f"{code} used {ctx.fmt.figure(used_total)} seat-months against {ctx.fmt.figure(allocated_total)} allocated "
                    f"in {ctx.year}, a utilisation of {ctx.fmt.percent(utilisation)}.",
                ),
                used_total=round_half_up(used_total, 1),
                allocated_total=round_half_up(allocated_total, 1),
                utilisation=utilisation / 100,
            )
        )
        names = tuple(_short_month(ctx, month["month"]) for month in months)
        allocated = tuple(round_half_up(month["allocated"], 1) for month in months)
        used = tuple(round_half_up(month["used"], 1) for month in months)
        allocated_name = ctx.say("Tildelt", "Allocated")
        used_name = ctx.say("Brukt", "Used")
        described = "; ".join(
            f"{name} {ctx.fmt.figure(u)} {ctx.say('av', 'of')} {ctx.fmt.figure(a)}"
            for name, a, u in zip(names, allocated, used, strict=True)
        )
        title = ctx.say(
            f"{code}: brukte og tildelte månedsverk per måned",
            f"{code}: seat-months used and allocated by month",
        )
        charts.append(
            Chart(
                key=f"seats_{code}",
                kind="line",
                title=title,
                categories=names,
                series=(Series(allocated_name, allocated), Series(used_name, used)),
                unit="number",
                alt_text=f"{title} ({ctx.say('brukt av tildelt', 'used of allocated')}): {described}.",
            )
        )
        rows = [
            (
                Cell(capitalised(month_name(int(month["month"][5:]), ctx.language))),
                ctx.figure_cell(month["allocated"]),
                ctx.figure_cell(month["used"]),
            )
            for month in months
        ]
        rows.append(
            (
                Cell(ctx.say("I alt", "Total")),
                ctx.figure_cell(allocated_total),
                ctx.figure_cell(used_total),
            )
        )
        tables.append(
            Table(
                key=f"seats_{code}",
                caption=ctx.say(
                    f"Månedsverk i {code} {ctx.year}", f"Seat-months in {code} {ctx.year}"
                ),
                columns=(ctx.say("Måned", "Month"), allocated_name, used_name),
                rows=tuple(rows),
                total_rows=1,
            )
        )
    if not tables:
        return ctx.say(
            f"Ingen tiltak hadde tildelte plasser i {ctx.year}.",
            f"No programme had allocated seats in {ctx.year}.",
        )
    return tuple(sentences), tuple(tables), tuple(charts)


def _short_month(ctx: BuildContext, month: str) -> str:
    return month_name(int(month[5:]), ctx.language)[:3]


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

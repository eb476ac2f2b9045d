"""Sections 6 and 7: the allocated seats through the year, and how they were used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from orbit_adapters.annual_report.context import (
    BuildContext,
    SectionParts,
    seat_spans,
)
from orbit_adapters.annual_report.model import Cell, Chart, Series, Table
from orbit_adapters.annual_report.numbers import round_half_up
from orbit_adapters.annual_report.words import (
    LARGEST_WORD,
    capitalised,
    listing,
    month_name,
    numbers_together,
    span_phrase,
    span_text,
)


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
            seats = ctx.seats(spans[0][2])
            text = ctx.say(
                f"{code} hadde {seats} tildelte plasser hele året.",
                f"{code} had {seats} allocated seats all year.",
            )
        else:
            seats_noun = ctx.say("tildelte plasser", "allocated seats")
            written = [ctx.fmt.figure(seats) for _, _, seats in spans]
            if all(float(seats).is_integer() and seats <= LARGEST_WORD for _, _, seats in spans):
                # One to twelve in words, as for a whole year.
                written = list(numbers_together([int(s) for _, _, s in spans], ctx.language))
            parts = [
                f"{text}{f' {seats_noun}' if index == 0 else ''} "
                f"{span_phrase(start, end, ctx.language)}"
                for index, (text, (start, end, _)) in enumerate(zip(written, spans, strict=True))
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

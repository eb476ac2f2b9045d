"""Section 2, Resultater i AFT: seats, the waiting list, and where AFT's participants went."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from orbit_adapters.annual_report.context import (
    OUTCOME_NAMES,
    BuildContext,
    SectionParts,
    placement_split,
    seat_spans,
    year_days,
)
from orbit_adapters.annual_report.model import Cell, Sentence, Table
from orbit_adapters.annual_report.words import (
    months_from_days,
    numbers_together,
)


def aft_results(ctx: BuildContext) -> SectionParts | str:
    aft = ctx.programme("AFT")
    if aft is None:
        return ctx.say(
            f"AFT hadde ingen deltakere i {ctx.year}.", f"AFT had no participants in {ctx.year}."
        )
    sentences = [*_seats_at_end(ctx, aft), *_waiting(ctx, aft), *_exits(ctx, aft)]
    return tuple(sentences), (_outcome_table(ctx, aft),), ()


def _seats_at_end(ctx: BuildContext, aft: Mapping[str, Any]) -> list[Sentence]:
    spans = seat_spans(aft)
    if not spans or spans[-1][1].isoformat() != f"{ctx.year}-12-31":
        return []
    seats = Decimal(str(spans[-1][2]))
    written = ctx.seats(spans[-1][2])
    return [
        ctx.sentence(
            "aft_seats_at_end",
            ctx.say(
                f"Ved utgangen av {ctx.year} hadde AFT {written} tildelte plasser.",
                f"At the end of {ctx.year}, AFT had {written} allocated seats.",
            ),
            seats=seats,
        )
    ]


def _waiting(ctx: BuildContext, aft: Mapping[str, Any]) -> list[Sentence]:
    waiting = aft.get("waiting", {})
    sentences = []
    days: int | None = waiting.get("days_with_waiting_list")
    if days is not None:
        all_days = year_days(ctx.year)
        if days == all_days:
            text = ctx.say(
                f"AFT har alltid hatt personer på venteliste gjennom {ctx.year}.",
                f"AFT had people on its waiting list every day of {ctx.year}.",
            )
        elif days == 0:
            text = ctx.say(
                f"AFT hadde ingen på venteliste i {ctx.year}.",
                f"AFT had nobody on its waiting list in {ctx.year}.",
            )
        else:
            text = ctx.say(
                f"AFT hadde personer på venteliste {days} av årets {all_days} dager.",
                f"AFT had people on its waiting list on {days} of the year's {all_days} days.",
            )
        sentences.append(
            ctx.sentence(
                "aft_waiting_list", text, days_with_waiting_list=days, days_in_year=all_days
            )
        )
    longest: int | None = waiting.get("max_wait_days")
    if longest is not None:
        sentences.append(
            ctx.sentence("aft_longest_wait", _longest_wait(ctx, longest), max_wait_days=longest)
        )
    return sentences


def _longest_wait(ctx: BuildContext, days: int) -> str:
    months = int(months_from_days(days))
    if months == 0:
        return ctx.say(
            f"Den lengste ventetiden før oppstart var {ctx.count(days, 'dag', 'dager')}.",
            f"The longest wait before starting was {ctx.count(days, 'day', 'days')}.",
        )
    exact = Fraction(days * 12 * 4, 1461)  # days / (365.25 / 12)
    duration = (
        ctx.count(months, "måned", "måneder") if ctx.nb else ctx.count(months, "month", "months")
    )
    if months > exact:
        about = ctx.say(f"opp mot {duration}", f"almost {duration}")
    elif months < exact:
        about = ctx.say(f"i overkant av {duration}", f"just over {duration}")
    else:
        about = duration
    return ctx.say(
        f"Den lengste ventetiden før oppstart var {about} ({days} dager).",
        f"The longest wait before starting was {about} ({days} days).",
    )


def _exits(ctx: BuildContext, aft: Mapping[str, Any]) -> list[Sentence]:
    exits: int = aft.get("exits", 0)
    if exits == 0:
        return [
            ctx.sentence(
                "aft_exits",
                ctx.say(
                    f"AFT hadde ingen avganger i {ctx.year}.", f"Nobody left AFT in {ctx.year}."
                ),
                exits=0,
            )
        ]
    placed, rest, placed_share, rest_share = placement_split(aft)
    total_text, placed_text, rest_text = numbers_together((exits, placed, rest), ctx.language)
    none = ctx.say("ingen", "none")
    placed_text = none if placed == 0 else placed_text
    rest_text = none if rest == 0 else rest_text
    noun = ctx.say("avgang" if exits == 1 else "avganger", "exit" if exits == 1 else "exits")
    first = ctx.say(
        f"AFT hadde {total_text} {noun} i {ctx.year}.",
        f"AFT had {total_text} {noun} in {ctx.year}.",
    )
    second = ctx.say(
        f"Av disse gikk {placed_text} til arbeid eller utdanning ({ctx.fmt.percent(placed_share)}), "
        f"mens {rest_text} fikk et annet resultat ({ctx.fmt.percent(rest_share)}).",
        f"Of these, {placed_text} went to work or education ({ctx.fmt.percent(placed_share)}) "
        f"and {rest_text} had another outcome ({ctx.fmt.percent(rest_share)}).",
    )
    return [
        ctx.sentence("aft_exits", first, exits=exits),
        ctx.sentence(
            "aft_exits_split",
            second,
            work_or_education=placed,
            work_or_education_share=Decimal(placed_share) / 100,
            other=rest,
            other_share=Decimal(rest_share) / 100,
        ),
    ]


def outcome_table(ctx: BuildContext, programme: Mapping[str, Any], code: str) -> Table:
    """The exits by outcome in events-v1 order, then the two subtotals and the total."""
    outcomes: Mapping[str, int] = programme.get("exits_by_outcome", {})
    rows = [
        (Cell(name), ctx.count_cell(outcomes.get(outcome, 0)), Cell(""))
        for outcome, name in OUTCOME_NAMES[ctx.language].items()
    ]
    placed, rest, placed_share, rest_share = placement_split(programme)
    exits = placed + rest
    rows += [
        (
            Cell(ctx.say("Arbeid og utdanning", "Work and education")),
            ctx.count_cell(placed),
            ctx.share_cell(placed_share),
        ),
        (
            Cell(ctx.say("Øvrige", "Other outcomes")),
            ctx.count_cell(rest),
            ctx.share_cell(rest_share),
        ),
        (
            Cell(ctx.say("Avganger i alt", "All exits")),
            ctx.count_cell(exits),
            ctx.share_cell(100 if exits else 0),
        ),
    ]
    return Table(
        key=f"exits_{code}",
        caption=ctx.say(
            f"Avganger fra {code} i {ctx.year} etter resultat",
            f"Exits from {code} in {ctx.year} by outcome",
        ),
        columns=(
            ctx.say("Resultat", "Outcome"),
            ctx.say("Antall", "Number"),
            ctx.say("Andel", "Share"),
        ),
        rows=tuple(rows),
        total_rows=3,
    )


def _outcome_table(ctx: BuildContext, aft: Mapping[str, Any]) -> Table:
    return outcome_table(ctx, aft, "AFT")

"""Section 5, VTA: participants, seats added, hospitering, starts and exits in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from orbit_adapters.annual_report.context import (
    OUTCOME_PHRASES,
    BuildContext,
    SectionParts,
    placement_split,
    seat_spans,
)
from orbit_adapters.annual_report.model import Sentence
from orbit_adapters.annual_report.numbers import round_half_up
from orbit_adapters.annual_report.sections_aft import outcome_table
from orbit_adapters.annual_report.sections_surveys import survey_sentence
from orbit_adapters.annual_report.words import (
    capitalised,
    from_text,
    listing,
    number_word,
    numbers_together,
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
            ctx.fmt.figure(low)
            if round_half_up(low, 1) == round_half_up(high, 1)
            else f"{ctx.fmt.figure(low)}–{ctx.fmt.figure(high)}"
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
    if len(steps) == 1 and steps[0][0] == dt.date(ctx.year, 1, 1):
        compared = ctx.say("flere" if total > 0 else "færre", "more" if total > 0 else "fewer")
        text = ctx.say(
            f"VTA startet året med {written[0]} {compared} plasser enn ved utgangen av {ctx.year - 1}.",
            f"VTA started the year with {written[0]} {compared} seats than at the end of {ctx.year - 1}.",
        )
        return [ctx.sentence("vta_added_seats", text, **values)]
    parts = []
    later = []
    for (start, change), amount in zip(steps, written, strict=False):
        if start == dt.date(ctx.year, 1, 1):
            parts.append(
                ctx.say(
                    f"startet året med {amount} {'ekstra' if change > 0 else 'færre'} plasser",
                    f"started the year with {amount} {'extra' if change > 0 else 'fewer'} seats",
                )
            )
        else:
            later.append((change, amount, from_text(start, ctx.language)))
    if later and all(change < 0 for change, _, _ in later):
        lost = [f"{amount} {when}" for _, amount, when in later]
        parts.append(ctx.say("mistet ", "lost ") + listing(lost, ctx.language))
    elif later:
        got = [
            f"{amount} {ctx.say('til', 'more') if change > 0 else ctx.say('færre', 'fewer')} {when}"
            for change, amount, when in later
        ]
        parts.append(ctx.say("fikk ", "got ") + listing(got, ctx.language))
    if total > 0:
        overall = ctx.say(
            f"{written[-1]} ekstra plasser i alt", f"{written[-1]} extra seats in all"
        )
    elif total < 0:
        overall = ctx.say(f"{written[-1]} færre plasser i alt", f"{written[-1]} fewer seats in all")
    else:
        overall = ctx.say("like mange plasser som før", "as many seats as before")
    text = f"VTA {', '.join(parts)}: {overall}."
    return [ctx.sentence("vta_added_seats", text, **values)]


def _hospitering(ctx: BuildContext, programme: Mapping[str, Any]) -> list[Sentence]:
    current: int = programme.get("hospitering_participants", 0)
    previous_programme = ctx.previous_programme("VTA")
    values: dict[str, Any] = {"hospitering_participants": current}
    none = ctx.say("ingen", "no")
    if previous_programme is None:
        (now,) = numbers_together((current,), ctx.language)
        now = none if current == 0 else now
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
    now = none if current == 0 else now
    values["previous"] = before
    noun = ctx.say(
        "deltaker" if current == 1 else "deltakere",
        "participant" if current == 1 else "participants",
    )
    if current == before == 0:
        compared = ctx.say(f"heller ikke i {ctx.year - 1}", f"nor in {ctx.year - 1}")
    elif current == before:
        compared = ctx.say(f"like mange som i {ctx.year - 1}", f"as many as in {ctx.year - 1}")
    else:
        compared = ctx.say(f"mot {then} i {ctx.year - 1}", f"against {then} in {ctx.year - 1}")
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
    if starts == 0:
        people = ctx.say("ingen nye deltakere", "no new participants")
    first = ctx.say(
        f"I {ctx.year} begynte {people} i VTA.", f"In {ctx.year}, {people} started in VTA."
    )
    if starts == 0:
        return [ctx.sentence("vta_new_starts", first, new_starts=0)]
    if starts == 1:
        second = ctx.say(
            "Deltakeren sluttet igjen i løpet av året."
            if early
            else "Deltakeren sluttet ikke igjen samme år.",
            "The participant left again during the year."
            if early
            else "The participant did not leave again the same year.",
        )
    elif early == 0:
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

"""Sections 9 and 10: from passive benefits to activity, and the socio-economic estimate."""

from __future__ import annotations

from orbit_adapters.annual_report.context import (
    BuildContext,
    SectionParts,
    active_share,
    exits_by_group,
    placement_split,
)
from orbit_adapters.annual_report.numbers import round_half_up
from orbit_adapters.annual_report.words import (
    listing,
)


def passive_to_active(ctx: BuildContext) -> SectionParts | str:
    sentences = []
    aft = ctx.programme("AFT")
    if aft is not None and aft.get("exits", 0) > 0:
        placed, *_ = placement_split(aft)
        people = (
            ctx.count(placed, "person", "personer")
            if ctx.nb
            else ctx.count(placed, "person", "people")
        )
        sentences.append(
            ctx.sentence(
                "aft_to_work_or_education",
                ctx.say(
                    f"I {ctx.year} gikk {people} til arbeid eller utdanning etter AFT.",
                    f"In {ctx.year}, {people} went to work or education after AFT.",
                ),
                work_or_education=placed,
            )
        )
        active = active_share(aft)
        assert active is not None
        points = round_half_up(active[1] * 100)
        sentences.append(
            ctx.sentence(
                "aft_activity_rate",
                ctx.say(
                    f"Regner vi med andre aktive løsninger, gikk {ctx.fmt.percent(points)} av dem som avsluttet AFT, "
                    "fra passiv ytelse til aktivitet.",
                    f"Counting other active solutions too, {ctx.fmt.percent(points)} of those who left AFT "
                    "went from passive benefits to activity.",
                ),
                activity=active[0],
                activity_rate=points / 100,
            )
        )
    education = {
        code: exits_by_group(programme).get("education", 0)
        for code in ctx.programmes()
        if (programme := ctx.programme(code)) is not None
    }
    total = sum(education.values())
    by_programme = listing(
        [f"{code} {count}" for code, count in education.items() if count], ctx.language
    )
    people = (
        ctx.count(total, "person", "personer") if ctx.nb else ctx.count(total, "person", "people")
    )
    text = ctx.say(
        f"Til sammen begynte {people} på utdanning etter å ha avsluttet et av våre tiltak",
        f"In all, {people} started education after leaving one of our programmes",
    )
    if total == 0:
        text = ctx.say(
            f"Ingen begynte på utdanning etter å ha avsluttet et av våre tiltak i {ctx.year}",
            f"Nobody started education after leaving one of our programmes in {ctx.year}",
        )
    sentences.append(
        ctx.sentence(
            "to_education", f"{text} ({by_programme})." if total else f"{text}.", education=total
        )
    )
    return tuple(sentences), (), ()


def socioeconomic(ctx: BuildContext) -> SectionParts | str:
    assumption = ctx.config.socioeconomic
    if assumption is None:
        return ctx.say(
            "Samfunnsøkonomisk anslag er ikke med: legg til [socioeconomic] med kilde i konfigurasjonen.",
            "No socio-economic estimate: add [socioeconomic] with its source to the configuration.",
        )
    to_work = sum(
        exits_by_group(programme).get("work", 0)
        for code in ctx.programmes()
        if (programme := ctx.programme(code)) is not None
    )
    saving = ctx.fmt.millions(assumption.saving_per_person_nok)
    years = (
        ctx.count(assumption.years_in_work, "år", "år", neuter=True)
        if ctx.nb
        else ctx.count(assumption.years_in_work, "year", "years")
    )
    people = (
        ctx.count(to_work, "person", "personer")
        if ctx.nb
        else ctx.count(to_work, "person", "people")
    )
    estimate = to_work * assumption.saving_per_person_nok
    first = ctx.say(
        f"{assumption.source} anslår at hver person som går fra passiv ytelse til arbeid og blir værende "
        f"i arbeid, kan spare samfunnet for inntil {saving} over {years}.",
        f"{assumption.source} estimates that each person who goes from passive benefits to work and "
        f"stays in work may save society up to {saving} over {years}.",
    )
    second = ctx.say(
        f"I {ctx.year} gikk {people} fra våre tiltak til arbeid. Blir alle værende i arbeid, "
        f"tilsvarer det en samfunnsøkonomisk gevinst på inntil {ctx.fmt.millions(estimate)}.",
        f"In {ctx.year}, {people} went from our programmes to work. If all of them stay in work, "
        f"that is a socio-economic gain of up to {ctx.fmt.millions(estimate)}.",
    )
    third = ctx.say(
        "Dette er et anslag ut fra en antakelse, ikke et målt resultat.",
        "This is an estimate built on an assumption, not a measured result.",
    )
    return (
        (
            ctx.sentence(
                "socioeconomic_assumption",
                first,
                saving_per_person_nok=assumption.saving_per_person_nok,
                years_in_work=assumption.years_in_work,
                source=assumption.source,
            ),
            ctx.sentence("socioeconomic_estimate", second, to_work=to_work, estimate_nok=estimate),
            ctx.sentence("socioeconomic_caveat", third),
        ),
        (),
        (),
    )

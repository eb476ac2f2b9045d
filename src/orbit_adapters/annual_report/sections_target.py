"""Section 3: the placement rate against Nav's target and the national average."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from orbit_adapters.annual_report.context import (
    BuildContext,
    SectionParts,
    active_share,
    exits_by_group,
    placement_split,
)
from orbit_adapters.annual_report.model import Chart, Sentence, Series
from orbit_adapters.annual_report.numbers import largest_remainder, round_half_up


def target_and_national(ctx: BuildContext) -> SectionParts | str:
    sentences: list[Sentence] = []
    charts: list[Chart] = []
    for code in ctx.programmes():
        programme = ctx.programme(code)
        assert programme is not None
        if programme.get("exits", 0) == 0:
            continue
        target = ctx.config.targets.get(code)
        if target is not None:
            sentences.append(_target_sentence(ctx, code, programme, target))
        national = ctx.config.national_average(code, ctx.year)
        if national is not None:
            sentences.extend(_national_sentences(ctx, code, programme, national))
            charts.extend(_national_charts(ctx, code, programme, national))
    if not ctx.config.national_averages:
        sentences.append(
            ctx.sentence(
                "national_average_missing",
                ctx.say(
                    "Landsgjennomsnittet er ikke med: legg til [[national_average]] med kilde i konfigurasjonen.",
                    "The national average is not included: add [[national_average]] with its source to the configuration.",
                ),
            )
        )
    if not sentences:
        return ctx.say(
            f"Ingen tiltak hadde avganger i {ctx.year}.", f"No programme had exits in {ctx.year}."
        )
    return tuple(sentences), (), tuple(charts)


def _rate_apart_from(ctx: BuildContext, exact: Fraction, target_points: Decimal) -> str:
    """The rate with as few decimals as tell it apart from the target: "49,9 %" or
    "49,95 %", never "50 %, under 50 %" (or "50,0 %")."""
    places = 1
    while places < 12 and round_half_up(exact * 100, places) == target_points:
        places += 1
    return ctx.fmt.percent(round_half_up(exact * 100, places), places)


def _target_sentence(
    ctx: BuildContext, code: str, programme: Mapping[str, Any], target: Decimal
) -> Sentence:
    placed, rest, placed_share, _ = placement_split(programme)
    exact = Fraction(placed, placed + rest)
    target_points = round_half_up(target * 100)
    rate = ctx.fmt.percent(placed_share)
    if Decimal(placed_share) == target_points and exact != Fraction(target):
        rate = _rate_apart_from(ctx, exact, target_points)
    target_text = ctx.fmt.percent(target_points)
    if exact > Fraction(target):
        where = ctx.say(
            f"over Nav sitt målkrav på {target_text}", f"above Nav's target of {target_text}"
        )
    elif exact < Fraction(target):
        where = ctx.say(
            f"under Nav sitt målkrav på {target_text}", f"below Nav's target of {target_text}"
        )
    else:
        where = ctx.say(
            f"akkurat på Nav sitt målkrav på {target_text}",
            f"exactly Nav's target of {target_text}",
        )
    return ctx.sentence(
        f"target_{code}",
        ctx.say(
            f"{code} hadde {rate} formidling til arbeid og utdanning i {ctx.year}, {where}.",
            f"{code} placed {rate} of its exits in work or education in {ctx.year}, {where}.",
        ),
        placement_rate=Decimal(placed_share) / 100,
        target=target,
    )


def _national_sentences(
    ctx: BuildContext, code: str, programme: Mapping[str, Any], national: Any
) -> list[Sentence]:
    national_rate: Decimal | None = national.rates.get("placement_rate")
    if national_rate is None:
        return []
    _, _, placed_share, _ = placement_split(programme)
    national_points = round_half_up(national_rate * 100)
    difference = placed_share - national_points
    if difference == 0:
        relation = ctx.say("og vi lå likt med det", "and ours was the same")
    else:
        points = (
            ctx.count(abs(int(difference)), "prosentpoeng", "prosentpoeng")
            if ctx.nb
            else ctx.count(abs(int(difference)), "percentage point", "percentage points")
        )
        relation = ctx.say(
            f"og vi lå {points} {'over' if difference > 0 else 'under'}",
            f"and ours was {points} {'above' if difference > 0 else 'below'} it",
        )
    return [
        ctx.sentence(
            f"national_{code}",
            ctx.say(
                f"Landsgjennomsnittet for formidling i {code} var {ctx.fmt.percent(national_points)} i {national.year} "
                f"(kilde: {national.source}), {relation}.",
                f"The national placement rate in {code} was {ctx.fmt.percent(national_points)} in {national.year} "
                f"(source: {national.source}), {relation}.",
            ),
            national_placement_rate=national_rate,
            national_year=national.year,
            source=national.source,
        )
    ]


_GENDER_NAMES = {
    "nb": {"female": "Kvinner", "male": "Menn", "other": "Annet", "unknown": "Ukjent"},
    "en": {"female": "Women", "male": "Men", "other": "Other", "unknown": "Unknown"},
}
_GROUP_NAMES = {
    "nb": {
        "work": "Arbeid",
        "education": "Utdanning",
        "other_active": "Andre aktive løsninger",
        "inactive": "Ikke aktiv",
        "unknown": "Ukjent",
    },
    "en": {
        "work": "Work",
        "education": "Education",
        "other_active": "Other active solutions",
        "inactive": "Not active",
        "unknown": "Unknown",
    },
}


def _national_charts(
    ctx: BuildContext, code: str, programme: Mapping[str, Any], national: Any
) -> list[Chart]:
    ours_name = ctx.say(f"{code} hos oss ({ctx.year})", f"Our {code} ({ctx.year})")
    theirs_name = ctx.say(
        f"Landsgjennomsnitt ({national.year})", f"National average ({national.year})"
    )
    source = ctx.say(
        f"Kilde for landsgjennomsnittet: {national.source}.",
        f"Source of the national average: {national.source}.",
    )
    figures: list[tuple[str, int, Decimal]] = []
    _, _, placed_share, _ = placement_split(programme)
    if "placement_rate" in national.rates:
        figures.append(
            (
                ctx.say("Formidling", "Placement rate"),
                placed_share,
                national.rates["placement_rate"],
            )
        )
    active = active_share(programme)
    if "activity_rate" in national.rates and active is not None:
        figures.append(
            (
                ctx.say("Til aktivitet", "To activity"),
                int(round_half_up(active[1] * 100)),
                national.rates["activity_rate"],
            )
        )
    groups = exits_by_group(programme)
    group_shares = dict(zip(groups, largest_remainder(tuple(groups.values())), strict=True))
    for group, share in national.groups.items():
        figures.append((_GROUP_NAMES[ctx.language][group], group_shares.get(group, 0), share))
    charts = []
    if figures:
        charts.append(
            _comparison_chart(
                ctx,
                f"national_{code}",
                ctx.say(f"{code} mot landsgjennomsnittet", f"{code} against the national average"),
                figures,
                ours_name,
                theirs_name,
                source,
            )
        )
    if national.gender:
        # Shares among the participants of the genders the national figure has (women and
        # men), as the national figure gives them: "unknown" would make ours look smaller.
        genders: Mapping[str, int] = programme.get("participants_by_gender", {})
        counts = tuple(genders.get(gender, 0) for gender in national.gender)
        shares = dict(zip(national.gender, largest_remainder(counts), strict=True))
        gender_figures = [
            (_GENDER_NAMES[ctx.language][gender], shares.get(gender, 0), share)
            for gender, share in national.gender.items()
        ]
        charts.append(
            _comparison_chart(
                ctx,
                f"gender_{code}",
                ctx.say(
                    f"Kjønnsfordeling i {code}, blant deltakere med oppgitt kjønn",
                    f"Gender in {code}, among participants whose gender is given",
                ),
                gender_figures,
                ours_name,
                theirs_name,
                source,
            )
        )
    return charts


def _comparison_chart(
    ctx: BuildContext,
    key: str,
    title: str,
    figures: list[tuple[str, int, Decimal]],
    ours_name: str,
    theirs_name: str,
    source: str,
) -> Chart:
    ours = tuple(Decimal(points) / 100 for _, points, _ in figures)
    theirs = tuple(round_half_up(share * 100) / 100 for _, _, share in figures)
    described = [
        f"{name}: {ours_name} {ctx.fmt.percent(mine * 100)}, {theirs_name.lower() if ctx.nb else theirs_name} {ctx.fmt.percent(other * 100)}"
        for (name, _, _), mine, other in zip(figures, ours, theirs, strict=True)
    ]
    return Chart(
        key=key,
        kind="bar",
        title=title,
        categories=tuple(name for name, _, _ in figures),
        series=(Series(ours_name, ours), Series(theirs_name, theirs)),
        unit="percent",
        alt_text=f"{title}. " + "; ".join(described) + ".",
        source=source,
    )

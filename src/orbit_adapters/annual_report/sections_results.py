"""Sections 2, 3, 4, 9 and 10: where AFT's participants went, and how they rated us."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from orbit_adapters.annual_report.context import (
    OUTCOME_NAMES,
    BuildContext,
    active_share,
    exits_by_group,
    placement_split,
    seat_spans,
    year_days,
)
from orbit_adapters.annual_report.model import Cell, Chart, Kind, Sentence, Series, Table
from orbit_adapters.annual_report.numbers import largest_remainder, round_half_up
from orbit_adapters.annual_report.words import (
    change_words,
    level_change,
    listing,
    months_from_days,
    number_word,
    numbers_together,
)

SectionParts = tuple[tuple[Sentence, ...], tuple[Table, ...], tuple[Chart, ...]]


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
    written = ctx.fmt.figure(seats)
    if seats == seats.to_integral_value():
        written = number_word(int(seats), ctx.language)
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


def _target_sentence(
    ctx: BuildContext, code: str, programme: Mapping[str, Any], target: Decimal
) -> Sentence:
    placed, rest, placed_share, _ = placement_split(programme)
    exact = Fraction(placed, placed + rest)
    target_points = round_half_up(target * 100)
    rate = ctx.fmt.percent(placed_share)
    if Decimal(placed_share) == target_points and exact != Fraction(target):
        rate = ctx.fmt.percent(
            round_half_up(exact * 100, 1), 1
        )  # "49,9 %", never "50 %, under 50 %"
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


SURVEY_NAMES = {
    "nb": {"user": "Brukerundersøkelsen", "exit": "Sluttundersøkelsen"},
    "en": {"user": "The user survey", "exit": "The exit survey"},
}


def survey_name(ctx: BuildContext, name: str) -> str:
    return SURVEY_NAMES[ctx.language].get(
        name, ctx.say(f"Undersøkelsen «{name}»", f"The survey “{name}”")
    )


def survey_mean(survey: Mapping[str, Any]) -> tuple[Decimal, int]:
    """The mean as printed and its scale: on the survey's own scale, else as points of 100."""
    scale = survey.get("scale_max")
    if scale is None:
        return round_half_up(survey["mean_percent"]), 100
    places = 0 if scale >= 20 else 1
    return round_half_up(survey["mean_score"], places), int(scale) if float(
        scale
    ).is_integer() else scale


def previous_survey_mean(ctx: BuildContext, code: str, name: str, scale: int) -> Decimal | None:
    """The year before's mean of the same survey, as printed, when it used the same scale."""
    before = (ctx.previous_programme(code) or {}).get("surveys", {}).get(name)
    if before is None:
        return None
    mean, previous_scale = survey_mean(before)
    return mean if previous_scale == scale else None


def survey_sentence(ctx: BuildContext, code: str, name: str, survey: Mapping[str, Any]) -> Sentence:
    mean, scale = survey_mean(survey)
    responses: int = survey["responses"]
    answered = (
        ctx.count(responses, "svar", "svar", neuter=True)
        if ctx.nb
        else ctx.count(responses, "response", "responses")
    )
    text = ctx.say(
        f"{survey_name(ctx, name)} i {code} ga et snitt på {ctx.fmt.figure(mean)} av {scale} ({answered})",
        f"{survey_name(ctx, name)} in {code} averaged {ctx.fmt.figure(mean)} out of {scale} ({answered})",
    )
    values: dict[str, Any] = {
        "programme": code,
        "survey": name,
        "mean": mean,
        "scale": scale,
        "responses": responses,
    }
    previous_mean = previous_survey_mean(ctx, code, name, scale)
    if previous_mean is not None:
        change = change_words(level_change(mean, previous_mean, scale), ctx.language)
        text += ctx.say(
            f", mot {ctx.fmt.figure(previous_mean)} i {ctx.year - 1}: {change}",
            f", against {ctx.fmt.figure(previous_mean)} in {ctx.year - 1}: {change}",
        )
        values["previous_mean"] = previous_mean
    return ctx.sentence(f"survey_{code}_{name}", text + ".", **values)


def surveys(ctx: BuildContext) -> SectionParts | str:
    sentences = []
    rows = []
    for code in ctx.programmes():
        programme = ctx.programme(code)
        assert programme is not None
        for name, survey in sorted(programme.get("surveys", {}).items()):
            sentences.append(survey_sentence(ctx, code, name, survey))
            mean, scale = survey_mean(survey)
            previous = previous_survey_mean(ctx, code, name, scale)
            rows.append(
                (
                    Cell(code),
                    Cell(survey_name(ctx, name).removeprefix("The ")),
                    ctx.count_cell(survey["responses"]),
                    Cell(ctx.fmt.figure(mean), mean, Kind.DECIMAL),
                    ctx.count_cell(scale),
                    Cell("–")
                    if previous is None
                    else Cell(ctx.fmt.figure(previous), previous, Kind.DECIMAL),
                )
            )
    if not sentences:
        return ctx.say(
            f"Ingen undersøkelser ble besvart i {ctx.year}.",
            f"No survey was answered in {ctx.year}.",
        )
    table = Table(
        key="surveys",
        caption=ctx.say(f"Undersøkelser {ctx.year}", f"Surveys {ctx.year}"),
        columns=(
            ctx.say("Tiltak", "Programme"),
            ctx.say("Undersøkelse", "Survey"),
            ctx.say("Svar", "Responses"),
            ctx.say("Snitt", "Mean"),
            ctx.say("Skala", "Scale"),
            str(ctx.year - 1),
        ),
        rows=tuple(rows),
    )
    return tuple(sentences), (table,), ()


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

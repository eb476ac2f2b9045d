"""Section 4: each survey's mean on its own scale, against the year before."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from orbit_adapters.annual_report.context import (
    BuildContext,
    SectionParts,
)
from orbit_adapters.annual_report.model import Cell, Kind, Sentence, Table
from orbit_adapters.annual_report.numbers import round_half_up
from orbit_adapters.annual_report.words import (
    change_words,
    level_change,
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

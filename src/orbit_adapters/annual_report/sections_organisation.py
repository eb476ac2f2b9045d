"""Sections 1, 11 and 12: the colophon, Nav's payment, and quality and competence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Protocol

from orbit_adapters.annual_report.context import BuildContext, SectionParts
from orbit_adapters.annual_report.model import Cell, Kind, Sentence, Source, Table
from orbit_adapters.annual_report.numbers import round_half_up
from orbit_adapters.annual_report.words import (
    capitalised,
    listing,
    month_name,
    number_word,
    span_text,
)


class FundingMonthLike(Protocol):
    """One programme's month of Nav's payment computation (``orbit_domain.funding.FundingMonth``)."""

    @property
    def programme(self) -> str: ...
    @property
    def month(self) -> str: ...  # "YYYY-MM"
    @property
    def manedsverk(self) -> Decimal: ...
    @property
    def rate(self) -> int: ...
    @property
    def payment(self) -> int: ...
    @property
    def commitment(self) -> int: ...


def colophon(
    ctx: BuildContext,
    sources: Sequence[Source],
    made_on: str,
    known_at: str | None,
    version: str,
    command: str,
) -> SectionParts:
    knowledge = (
        ctx.say(f"slik de var registrert per {known_at}", f"as they were recorded by {known_at}")
        if known_at
        else ctx.say("slik de var lagret på det tidspunktet", "as stored at that moment")
    )
    sentences = [
        ctx.sentence(
            "made",
            ctx.say(
                f"Rapporten er laget {made_on} med orbit {version}, ut fra hendelsene {knowledge}.",
                f"This report was made on {made_on} with orbit {version}, from the events {knowledge}.",
            ),
            made_on=made_on,
            orbit_version=version,
            known_at=known_at,
        ),
        ctx.sentence(
            "sources",
            ctx.say(
                "Alle tall er beregnet fra de lagrede hendelsene. Fingeravtrykkene i tabellen "
                "under viser nøyaktig hvilke hendelser som er brukt.",
                "Every figure is computed from the stored events. The fingerprints in the table "
                "below identify exactly which events were used.",
            ),
        ),
        Sentence(
            key="command",
            text=ctx.say("Kommandoen som gjenskaper rapporten:", "The command that reproduces it:"),
            values={"command": command},
            code=command,
        ),
    ]
    table = Table(
        key="sources",
        caption=ctx.say("Rapportene tallene kommer fra", "The reports the figures come from"),
        columns=(
            ctx.say("År", "Year"),
            ctx.say("Hendelser", "Events"),
            ctx.say("Fingeravtrykk (SHA-256)", "Fingerprint (SHA-256)"),
        ),
        rows=tuple(
            (
                Cell(str(source.year), source.year, Kind.TEXT),
                ctx.count_cell(source.events_replayed),
                Cell(source.fingerprint),
            )
            for source in sources
        ),
    )
    return tuple(sentences), (table,), ()


def funding(
    ctx: BuildContext, months: Sequence[FundingMonthLike] | None, missing: Sequence[str] = ()
) -> SectionParts | str:
    rates = ctx.config.rates.get(ctx.year)
    if not rates:
        return ctx.say(
            f"Utbetaling fra Nav er ikke med: ingen sats for {ctx.year}; legg den til under [funding.rates] i konfigurasjonen.",
            f"Nav's payment is not included: no rate for {ctx.year}; add one under [funding.rates] in the configuration.",
        )
    if months is None:
        return ctx.say(
            "Utbetaling fra Nav er ikke med: beregningen var ikke tilgjengelig da rapporten ble laget.",
            "Nav's payment is not included: the computation was not available when the report was made.",
        )
    sentences: list[Sentence] = []
    tables: list[Table] = []
    for code in sorted(
        {month.programme for month in months}, key=lambda code: (code not in ("AFT", "VTA"), code)
    ):
        own = sorted(
            (month for month in months if month.programme == code), key=lambda month: month.month
        )
        sentences.append(_funding_sentence(ctx, code, own))
        tables.append(_funding_table(ctx, code, own))
    sentences.extend(
        _missing_rate(ctx, code)
        for code in sorted(set(missing), key=lambda code: (code not in ("AFT", "VTA"), code))
    )
    closures = _closures(ctx)
    if closures is not None:
        sentences.append(closures)
    if not tables and not missing:
        return ctx.say(
            f"Ingen tiltak hadde deltakere Nav betaler for i {ctx.year}.",
            f"No programme had participants Nav pays for in {ctx.year}.",
        )
    return tuple(sentences), tuple(tables), ()


def _missing_rate(ctx: BuildContext, code: str) -> Sentence:
    return ctx.sentence(
        f"funding_missing_{code}",
        ctx.say(
            f"Utbetaling for {code} er ikke med: ingen sats for {ctx.year}; legg den til under [funding.rates] i konfigurasjonen.",
            f"Nav's payment for {code} is not included: no rate for {ctx.year}; add one under [funding.rates] in the configuration.",
        ),
    )


def _funding_sentence(ctx: BuildContext, code: str, months: Sequence[FundingMonthLike]) -> Sentence:
    payment = sum(month.payment for month in months)
    commitment = sum(month.commitment for month in months)
    difference = commitment - payment
    rates = sorted({month.rate for month in months})
    rate = listing([ctx.fmt.kroner(rate) for rate in rates], ctx.language)
    if difference > 0:
        relation = ctx.say(
            f"{ctx.fmt.kroner(difference)} mindre enn tilsagnet",
            f"{ctx.fmt.kroner(difference)} less than committed",
        )
    elif difference < 0:
        relation = ctx.say(
            f"{ctx.fmt.kroner(-difference)} mer enn tilsagnet",
            f"{ctx.fmt.kroner(-difference)} more than committed",
        )
    else:
        relation = ctx.say("det samme som tilsagnet", "the same as committed")
    return ctx.sentence(
        f"funding_{code}",
        ctx.say(
            f"Beregnet slik Nav gjør det, med en sats på {rate} per månedsverk, gir {code} i {ctx.year} en utbetaling på "
            f"{ctx.fmt.kroner(payment)} mot et tilsagn på {ctx.fmt.kroner(commitment)}: {relation}.",
            f"Computed as Nav computes it, at {rate} per seat-month, {code} earns a payment of "
            f"{ctx.fmt.kroner(payment)} in {ctx.year} against a commitment of {ctx.fmt.kroner(commitment)}: {relation}.",
        ),
        payment=payment,
        commitment=commitment,
        difference=difference,
    )


def _funding_table(ctx: BuildContext, code: str, months: Sequence[FundingMonthLike]) -> Table:
    def kroner(amount: int) -> Cell:
        return Cell(ctx.fmt.kroner(amount), amount, Kind.KRONER)

    def seat_months(value: Decimal) -> Cell:
        return Cell(ctx.fmt.decimal(value, 5), round_half_up(value, 5), Kind.DECIMAL)

    rows = [
        (
            Cell(capitalised(month_name(int(month.month[5:]), ctx.language))),
            seat_months(month.manedsverk),
            kroner(month.payment),
            kroner(month.commitment),
            kroner(month.commitment - month.payment),
        )
        for month in months
    ]
    payment = sum(month.payment for month in months)
    commitment = sum(month.commitment for month in months)
    rows.append(
        (
            Cell(ctx.say("I alt", "Total")),
            seat_months(sum((month.manedsverk for month in months), Decimal(0))),
            kroner(payment),
            kroner(commitment),
            kroner(commitment - payment),
        )
    )
    return Table(
        key=f"funding_{code}",
        caption=ctx.say(
            f"Utbetaling for {code} {ctx.year}, beregnet slik Nav gjør det",
            f"Payment for {code} {ctx.year}, computed as Nav does",
        ),
        columns=(
            ctx.say("Måned", "Month"),
            ctx.say("Månedsverk", "Seat-months"),
            ctx.say("Utbetaling", "Payment"),
            ctx.say("Tilsagn", "Commitment"),
            ctx.say("Differanse", "Difference"),
        ),
        rows=tuple(rows),
        total_rows=1,
    )


def _closures(ctx: BuildContext) -> Sentence | None:
    organisation = ctx.organisation(ctx.current)
    closures: Sequence[Mapping[str, Any]] = (organisation or {}).get("closures", [])
    if not closures:
        return None
    parts = []
    for closure in closures:
        span = span_text(
            dt.date.fromisoformat(closure["from"]),
            dt.date.fromisoformat(closure["until"]),
            ctx.language,
        )
        which = closure["programme"] or ctx.say("alle tiltak", "all programmes")
        parts.append(f"{span} ({which})")
    return ctx.sentence(
        "closures",
        ctx.say(
            f"Dagene virksomheten var stengt, er trukket fra: {listing(parts, ctx.language)}.",
            f"The days the provider was closed are deducted: {listing(parts, ctx.language)}.",
        ),
        closures=len(closures),
    )


def quality(ctx: BuildContext) -> SectionParts | str:
    organisation = ctx.organisation(ctx.current)
    if organisation is None:
        return ctx.say(
            "Klager og opplæring er ikke med: rapporten mangler organisasjonstallene (report-v1 revisjon 2).",
            "Complaints and training are not included: the report lacks the organisation figures (report-v1 revision 2).",
        )
    complaints: int = organisation.get("complaints", 0)
    by_programme: Mapping[str, int] = organisation.get("complaints_by_programme", {})
    noun = (
        ctx.count(complaints, "klage", "klager")
        if ctx.nb
        else ctx.count(complaints, "complaint", "complaints")
    )
    if complaints == 0:
        noun = ctx.say("ingen klager", "no complaints")
    text = ctx.say(f"Vi mottok {noun} i {ctx.year}", f"We received {noun} in {ctx.year}")
    named = {code: count for code, count in by_programme.items() if code != "none"}
    if named:
        if complaints == 1:
            text += ctx.say(f", og den gjaldt {next(iter(named))}", f", about {next(iter(named))}")
        else:
            text += f" ({listing([f'{code} {number_word(count, ctx.language)}' for code, count in named.items()], ctx.language)})"
    sentences = [ctx.sentence("complaints", text + ".", complaints=complaints)]
    rows = [
        (
            Cell(ctx.say("Klager", "Complaints")),
            ctx.count_cell(complaints),
            *_previous_cells(ctx, "complaints", complaints),
        )
    ]
    days = Decimal(repr(float(organisation.get("staff_training_days", 0))))
    training = ctx.say(
        f"De ansatte hadde til sammen {ctx.fmt.figure(days)} dager med opplæring i {ctx.year}",
        f"Our staff had {ctx.fmt.figure(days)} days of training in all in {ctx.year}",
    )
    if round_half_up(days, 1) == 0:
        training = ctx.say(
            f"De ansatte hadde ingen dager med opplæring i {ctx.year}",
            f"Our staff had no days of training in {ctx.year}",
        )
    values: dict[str, Any] = {"staff_training_days": round_half_up(days, 1)}
    previous = ctx.organisation(ctx.previous)
    if previous is not None:
        before = Decimal(repr(float(previous.get("staff_training_days", 0))))
        change = round_half_up(days, 1) - round_half_up(before, 1)
        values |= {"previous": round_half_up(before, 1), "change": change}
        if change:
            signed = ctx.fmt.signed(change, 0 if change == change.to_integral_value() else 1)
            training += ctx.say(
                f", mot {ctx.fmt.figure(before)} i {ctx.year - 1} ({signed})",
                f", against {ctx.fmt.figure(before)} in {ctx.year - 1} ({signed})",
            )
        elif round_half_up(days, 1) == 0:
            training += ctx.say(f", heller ikke i {ctx.year - 1}", f", nor in {ctx.year - 1}")
        else:
            training += ctx.say(
                f", like mange som i {ctx.year - 1}", f", as many as in {ctx.year - 1}"
            )
    sentences.append(ctx.sentence("staff_training", training + ".", **values))
    rows.append(
        (
            Cell(ctx.say("Opplæringsdager for ansatte", "Staff training days")),
            ctx.figure_cell(days),
            *_previous_cells(ctx, "staff_training_days", days),
        )
    )
    table = Table(
        key="quality",
        caption=ctx.say(f"Kvalitet og kompetanse {ctx.year}", f"Quality and competence {ctx.year}"),
        columns=(
            ctx.say("Nøkkeltall", "Figure"),
            str(ctx.year),
            str(ctx.year - 1),
            ctx.say("Endring", "Change"),
        ),
        rows=tuple(rows),
    )
    return tuple(sentences), (table,), ()


def _previous_cells(ctx: BuildContext, key: str, current: int | Decimal) -> tuple[Cell, Cell]:
    previous = ctx.organisation(ctx.previous)
    if previous is None:
        return Cell("–"), Cell("–")
    before = round_half_up(Decimal(repr(float(previous.get(key, 0)))), 1)
    change = round_half_up(current, 1) - before
    return (
        Cell(ctx.fmt.figure(before), before, Kind.DECIMAL),
        Cell(
            ctx.fmt.signed(change, 0 if change == change.to_integral_value() else 1),
            change,
            Kind.CHANGE,
        ),
    )

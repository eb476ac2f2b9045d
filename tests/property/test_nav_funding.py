"""Nav's funding rule against a day-by-day reference, and the invariants of its figures.

The reference below reads the participations straight off the events and visits every
day of the month, as the rule is worded; the domain counts stretches of days instead.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import attrs
from hypothesis import given
from hypothesis import strategies as st

from orbit_domain.events import (
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    SeatsAllocated,
)
from orbit_domain.funding import FundingMonth, FundingResult, funding
from orbit_domain.funding_rates import DEFAULT_RATES, Rates, with_overrides
from orbit_domain.history import Recorded
from orbit_domain.organisation import Closure
from orbit_domain.period import Month, Period
from orbit_domain.projections import EMPTY_TIMELINES, fold
from property_support import half_examples, memory_store, store_examples
from strategies import (
    PROGRAMMES,
    Line,
    closed_spans,
    funding_histories,
    funding_months,
    funding_months_near,
)

EVERY_PROGRAMME_RATES = with_overrides(
    DEFAULT_RATES,
    {year: {"LAERLING": 9_999, "VTO": 12_345, "VTA": 16_000} for year in (2023, 2024, 2025, 2026)},
)
"""Nav's rates, and one for every generated programme and year, so all are computed."""
_rates = st.integers(1, 60_000)


@attrs.frozen
class Participation:
    participant: str
    programme: str
    start: dt.date
    end: dt.date | None
    changes: tuple[tuple[dt.date, int], ...]
    """Each percentage from its date, in stream order (the first is the placement's)."""

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def percentage_on(self, day: dt.date) -> int:
        return [percentage for start, percentage in self.changes if start <= day][-1]


def participations(history: Iterable[Recorded], until: dt.date) -> list[Participation]:
    """Every placement of the events dated up to ``until``, with its percentages."""
    programme: dict[str, str] = {}
    open_ones: dict[str, Participation] = {}
    found: list[Participation] = []
    for recorded in history:
        event, participant = recorded.event, recorded.participant
        if participant is None or event.date > until:
            continue
        if isinstance(event, ParticipantReferred):
            programme[participant] = event.programme
        elif isinstance(event, PlacementStarted):
            open_ones[participant] = Participation(
                participant,
                programme[participant],
                event.date,
                None,
                ((event.date, event.effective_percentage),),
            )
        elif isinstance(event, PercentageChanged):
            placed = open_ones[participant]
            changes = (*placed.changes, (event.date, event.percentage))
            open_ones[participant] = attrs.evolve(placed, changes=changes)
        elif isinstance(event, ParticipantExited):
            found.append(attrs.evolve(open_ones.pop(participant), end=event.date))
    return found + list(open_ones.values())


def programmes_known(history: Iterable[Recorded], until: dt.date) -> set[str]:
    return {
        recorded.event.programme
        for recorded in history
        if isinstance(recorded.event, ParticipantReferred | SeatsAllocated)
        and recorded.event.date <= until
    }


def counted_days(month: Month) -> list[dt.date]:
    days = [month.first_day + dt.timedelta(days=n) for n in range(month.last_day.day)]
    if month.first_day >= dt.date(2025, 8, 1):
        return [day for day in days if day.isoweekday() <= 5]
    return days


def day_weight(programme: str, day: dt.date, percentage: int) -> Fraction:
    if programme == "AFT" and day >= dt.date(2026, 1, 1):
        return Fraction(1, 2) if percentage <= 50 else Fraction(1)
    return Fraction(1, 2) if percentage < 50 else Fraction(1)


def is_closed(closures: Iterable[Closure], programme: str, day: dt.date) -> bool:
    return any(
        closure.start <= day <= closure.end and closure.programme in (None, programme)
        for closure in closures
    )


def rounded(value: Fraction, exponent: str) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(exponent), rounding=ROUND_HALF_UP)


def seats_on(history: Iterable[Recorded], programme: str, day: dt.date) -> Fraction:
    in_force: SeatsAllocated | None = None
    for recorded in history:
        event = recorded.event
        if (
            isinstance(event, SeatsAllocated)
            and event.programme == programme
            and event.date <= day
            and (in_force is None or event.date >= in_force.date)
        ):
            in_force = event
    return Fraction(0) if in_force is None else Fraction(repr(in_force.seats))


def reference_month(
    history: list[Recorded], programme: str, month: Month, rate: int, closures: list[Closure]
) -> tuple[FundingMonth, list[tuple[str, Decimal]]]:
    """The month as the rule is worded: every counted day of it, one by one."""
    days = counted_days(month)
    lines = []
    for placement in participations(history, month.last_day):
        if placement.programme != programme:
            continue
        weights = sum(
            (
                day_weight(programme, day, placement.percentage_on(day))
                for day in days
                if placement.is_active_on(day) and not is_closed(closures, programme, day)
            ),
            Fraction(0),
        )
        if weights:
            lines.append((placement.participant, rounded(weights / len(days), "0.00001")))
    manedsverk = sum((value for _, value in lines), Decimal(0))
    seats = sum((seats_on(history, programme, day) for day in days), Fraction(0)) / len(days)
    found = FundingMonth(
        programme=programme,
        month=str(month),
        manedsverk=manedsverk,
        rate=rate,
        payment=int(rounded(Fraction(manedsverk) * rate, "1")),
        commitment=int(rounded(seats * rate, "1")),
    )
    return found, sorted(lines)


def month_period(month: Month) -> Period:
    return Period(month.first_day, month.last_day)


def lines_of(result: FundingResult, programme: str) -> list[tuple[str, Decimal]]:
    return sorted(
        (line.participant, line.manedsverk)
        for line in result.participants
        if line.programme == programme
    )


@half_examples
@given(funding_histories(), st.data())
def test_funding_is_the_day_by_day_rule(history: list[Recorded], data: st.DataObject) -> None:
    """Every programme's month and every participation's line equal the reference's."""
    month = data.draw(funding_months_near(history), label="month")
    closures = data.draw(closed_spans(month_period(month)), label="closures")
    result = funding(
        fold(EMPTY_TIMELINES, history),
        month_period(month),
        rates=EVERY_PROGRAMME_RATES,
        closures=closures,
        by_participant=True,
    )

    programmes = programmes_known(history, month.last_day)
    assert {found.programme for found in result.months} == programmes
    for found in result.months:
        rate = EVERY_PROGRAMME_RATES[month.year][found.programme]
        expected, lines = reference_month(history, found.programme, month, rate, closures)
        assert found == expected
        assert lines_of(result, found.programme) == lines


@half_examples
@given(funding_histories(), st.sampled_from((2024, 2025, 2026)), st.data())
def test_a_years_months_are_its_months_computed_one_by_one(
    history: list[Recorded], year: int, data: st.DataObject
) -> None:
    closures = data.draw(closed_spans(Period.year(year)), label="closures")
    timelines = fold(EMPTY_TIMELINES, history)
    whole_year = funding(timelines, Period.year(year), closures=closures, by_participant=True)
    one_by_one = [
        funding(timelines, month_period(month), closures=closures, by_participant=True)
        for month in Period.year(year).months()
    ]

    assert sorted(whole_year.months, key=_by_month) == [
        found for result in one_by_one for found in result.months
    ]
    assert Counter(whole_year.participants) == Counter(
        line for result in one_by_one for line in result.participants
    )
    assert set(whole_year.missing_rates) == {
        missing for result in one_by_one for missing in result.missing_rates
    }
    for total in whole_year.totals():
        months = [found for found in whole_year.months if found.programme == total.programme]
        assert total.payment == sum(found.payment for found in months)
        assert total.manedsverk == sum(found.manedsverk for found in months)


def _by_month(found: FundingMonth) -> tuple[str, str]:
    return found.month, found.programme


@half_examples
@given(funding_histories(), _rates, _rates, st.data())
def test_payment_and_commitment_never_fall_as_the_rate_rises(
    history: list[Recorded], one_rate: int, other_rate: int, data: st.DataObject
) -> None:
    month = data.draw(funding_months_near(history), label="month")
    closures = data.draw(closed_spans(month_period(month)), label="closures")
    low, high = sorted((one_rate, other_rate))
    timelines = fold(EMPTY_TIMELINES, history)

    at_low = funding(timelines, month_period(month), rates=_flat(low), closures=closures)
    at_high = funding(timelines, month_period(month), rates=_flat(high), closures=closures)

    for cheap, dear in zip(at_low.months, at_high.months, strict=True):
        assert cheap.manedsverk == dear.manedsverk
        assert cheap.payment <= dear.payment
        assert cheap.commitment <= dear.commitment


def _flat(rate: int) -> Rates:
    programmes = (*PROGRAMMES, "VTO")
    return {year: dict.fromkeys(programmes, rate) for year in (2024, 2025, 2026)}


@half_examples
@given(funding_histories(), st.data())
def test_closures_never_increase_what_nav_pays(
    history: list[Recorded], data: st.DataObject
) -> None:
    month = data.draw(funding_months_near(history), label="month")
    period = month_period(month)
    closures = data.draw(closed_spans(period), label="closures")
    more = data.draw(closed_spans(period), label="more closures")
    timelines = fold(EMPTY_TIMELINES, history)

    fewer = funding(timelines, period, closures=closures, by_participant=True)
    more_closed = funding(timelines, period, closures=closures + more, by_participant=True)

    for open_month, closed_month in zip(fewer.months, more_closed.months, strict=True):
        assert closed_month.manedsverk <= open_month.manedsverk
        assert closed_month.payment <= open_month.payment
        assert closed_month.commitment == open_month.commitment
    assert _per_participant(more_closed) <= _per_participant(fewer)


def _per_participant(result: FundingResult) -> Counter[tuple[str, str]]:
    """Each participant's månedsverk per programme, in units of 0.00001 (a Counter, so
    that ``<=`` compares every participant's)."""
    totals: Counter[tuple[str, str]] = Counter()
    for line in result.participants:
        totals[line.participant, line.programme] += int(line.manedsverk * 100_000)
    return totals


@half_examples
@given(funding_histories(), st.data())
def test_a_participation_is_never_more_than_one_manedsverk_a_month(
    history: list[Recorded], data: st.DataObject
) -> None:
    month = data.draw(funding_months_near(history), label="month")
    closures = data.draw(closed_spans(month_period(month)), label="closures")
    result = funding(
        fold(EMPTY_TIMELINES, history),
        month_period(month),
        rates=EVERY_PROGRAMME_RATES,
        closures=closures,
        by_participant=True,
    )

    for line in result.participants:
        assert Decimal(0) < line.manedsverk <= 1
        assert line.manedsverk == line.manedsverk.quantize(Decimal("0.00001"))
    for found in result.months:
        lines = [line for line in result.participants if line.programme == found.programme]
        assert found.manedsverk == sum(line.manedsverk for line in lines)
        assert abs(found.payment - found.manedsverk * found.rate) <= Decimal("0.5")


@store_examples
@given(funding_histories(max_participants=4), funding_months, st.booleans())
def test_the_store_computes_what_the_domain_does_with_participant_keys(
    history: list[Recorded], month: Month, by_participant: bool
) -> None:
    lines = [Line.of(recorded, str(uuid.uuid4())) for recorded in history]
    period = month_period(month)
    with memory_store(line.text for line in lines) as orbit:
        stored = orbit.funding(period, by_participant=by_participant)

    # The store deducts the closures it has replayed, those dated up to the period's end.
    replayed_facts = fold(EMPTY_TIMELINES, [r for r in history if r.event.date <= period.end]).facts
    closures = [Closure(c.start, c.end, c.programme) for c in replayed_facts.closures]
    expected = funding(
        fold(EMPTY_TIMELINES, history), period, closures=closures, by_participant=by_participant
    )
    assert stored.months == expected.months
    assert Counter(stored.participants) == Counter(expected.participants)
    assert stored.missing_rates == expected.missing_rates
    assert len(stored.fingerprint) == 64

"""Funding as Nav computes it: each month's månedsverk, payment and commitment per programme.

Since 2025 Nav makes the provider's monthly claim itself, from its own copy of the
participants' dates and percentages (navikt/mulighetsrommet, ``UtbetalingBeregning``).
The rule, as this module applies it (docs/funding.md has the sources and examples):

- A participation (deltakelse) is active from its placement to its exit, both included.
  Each active day, less the provider's closed days (for the programme or for all),
  counts as a fraction of the month: calendar days / days in the month for months
  before August 2025; weekdays (Monday to Friday) / weekdays in the month from then on.
- A day at a percentage below 50 counts half; for AFT from January 2026, 50 or below.
- A participation's month is rounded half up to 5 decimals: its månedsverk.
- The month's payment is the sum of månedsverk times the year's rate, rounded half up to
  whole kroner; the commitment (tilsagn) is the allocated seats times the rate times the
  month's fraction they were allocated for (days on the same basis), whole kroner.

Fractions are exact (:class:`fractions.Fraction`) until the two roundings, so the result
does not depend on a decimal context. Rates come in per year and programme; a month
whose year has no rate for a programme is left out and named in ``missing_rates``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

import attrs

from orbit_domain.errors import InvalidValueError
from orbit_domain.events import SeatsAllocated
from orbit_domain.funding_rates import DEFAULT_RATES, Rates, rate_of
from orbit_domain.organisation import Closure
from orbit_domain.period import ONE_DAY, Month, Period
from orbit_domain.projections.seats import allocation_spans
from orbit_domain.projections.timeline import JourneyTimeline, Timelines
from orbit_domain.weighting import NAV_HALF_SEAT_BELOW

__all__ = [
    "AFT_HALF_AT_FIFTY_FROM",
    "DEFAULT_RATES",
    "MANEDSVERK_DECIMALS",
    "NO_MANEDSVERK",
    "WEEKDAYS_FROM",
    "FundingMonth",
    "FundingResult",
    "FundingTotal",
    "MissingRate",
    "MonthBasis",
    "ParticipantMonth",
    "Rates",
    "funding",
    "half_up",
    "is_half_day",
    "participation_month",
    "weekdays",
    "whole_months",
]

WEEKDAYS_FROM = dt.date(2025, 8, 1)
"""From this month on a month's fraction counts weekdays, before it calendar days."""
AFT_HALF_AT_FIFTY_FROM = dt.date(2026, 1, 1)
"""From this month on an AFT day at exactly 50 % counts half (VTA keeps the old rule)."""
MANEDSVERK_DECIMALS = 5
NO_MANEDSVERK = Decimal("0.00000")
_SATURDAY = 5


@attrs.frozen
class FundingMonth:
    """One programme's month: what Nav pays (``payment``) against what it committed."""

    programme: str
    month: str
    """``YYYY-MM``."""
    manedsverk: Decimal
    """The sum of the participations' månedsverk (each rounded to 5 decimals)."""
    rate: int
    """NOK per månedsverk for the month's year."""
    payment: int
    commitment: int

    @property
    def difference(self) -> int:
        """Commitment less payment: positive when Nav pays less than it committed."""
        return self.commitment - self.payment


@attrs.frozen
class ParticipantMonth:
    """One participation's month, as a line of Nav's claim.

    ``participant`` is the pseudonymous key; a participant placed twice in the same
    programme within a month has a line for each participation, as Nav's claim does.
    """

    participant: str
    programme: str
    month: str
    manedsverk: Decimal


class MissingRate(NamedTuple):
    """A programme and year with months in the period but no rate: no funding computed."""

    programme: str
    year: int


@attrs.frozen
class FundingTotal:
    """One programme's months added up."""

    programme: str
    manedsverk: Decimal
    payment: int
    commitment: int

    @property
    def difference(self) -> int:
        return self.commitment - self.payment


@attrs.frozen
class FundingResult:
    months: tuple[FundingMonth, ...]
    """Programme by programme (by code), each one's months in order."""
    participants: tuple[ParticipantMonth, ...] = ()
    """Empty unless asked for; by programme, month and participant."""
    missing_rates: tuple[MissingRate, ...] = ()
    events_replayed: int = 0
    fingerprint: str = ""
    """Of the events replayed; the adapters compute it, the domain passes it through."""

    def totals(self) -> tuple[FundingTotal, ...]:
        """Each programme's months added up, in the order of ``months``."""
        by_programme: dict[str, list[FundingMonth]] = {}
        for month in self.months:
            by_programme.setdefault(month.programme, []).append(month)
        return tuple(
            FundingTotal(
                programme=programme,
                manedsverk=sum((month.manedsverk for month in months), NO_MANEDSVERK),
                payment=sum(month.payment for month in months),
                commitment=sum(month.commitment for month in months),
            )
            for programme, months in by_programme.items()
        )


def funding(
    timelines: Timelines,
    period: Period,
    *,
    rates: Rates = DEFAULT_RATES,
    closures: Iterable[Closure] = (),
    by_participant: bool = False,
) -> FundingResult:
    """Nav's funding of every programme for each month of ``period`` (whole months).

    A programme's months are those ending on or after its first referral or allocation,
    so a year's months are exactly its months computed one by one. ``timelines`` may hold
    events dated after the period: each journey is seen as of the period's end, as a
    report sees it.
    """
    months = whole_months(period)
    closures = tuple(closures)
    journeys, allocations, known_from = _in_view(timelines, period)
    funded: list[FundingMonth] = []
    lines: list[ParticipantMonth] = []
    missing: dict[MissingRate, None] = {}
    for programme in sorted(known_from):
        for month in months:
            if month.last_day < known_from[programme]:
                continue
            rate = rate_of(rates, month.year, programme)
            if rate is None:
                missing[MissingRate(programme, month.year)] = None
                continue
            basis = MonthBasis(month, _closed_days(closures, programme, month))
            month_lines = [
                ParticipantMonth(journey.participant, programme, str(month), manedsverk)
                for journey, manedsverk in _participations(
                    journeys.get(programme, ()), programme, basis
                )
            ]
            total = sum((line.manedsverk for line in month_lines), NO_MANEDSVERK)
            allocated = _allocated_months(allocations.get(programme, ()), basis)
            funded.append(
                FundingMonth(
                    programme=programme,
                    month=str(month),
                    manedsverk=total,
                    rate=rate,
                    payment=int(half_up(Fraction(total) * rate, 0)),
                    commitment=int(half_up(allocated * rate, 0)),
                )
            )
            if by_participant:
                lines.extend(sorted(month_lines, key=lambda line: line.participant))
    return FundingResult(
        months=tuple(funded), participants=tuple(lines), missing_rates=tuple(missing)
    )


def whole_months(period: Period) -> tuple[Month, ...]:
    """The period's months; funding is per calendar month, so it must start and end on one."""
    if period.start.day != 1 or period.end != Month.of(period.end).last_day:
        raise InvalidValueError(
            "period",
            f"funding is computed for whole months, not {period.start.isoformat()} "
            f"to {period.end.isoformat()}",
        )
    return period.months()


def half_up(value: Fraction, decimals: int) -> Decimal:
    """``value`` (never negative here) rounded half up to ``decimals`` places."""
    # floor(value x 10**decimals + 1/2) in integers: Fraction arithmetic costs more.
    numerator, denominator = value.numerator * 10**decimals, value.denominator
    return Decimal((2 * numerator + denominator) // (2 * denominator)).scaleb(-decimals)


def weekdays(start: dt.date, end: dt.date) -> int:
    """Mondays to Fridays from ``start`` to ``end``, both included (0 when ``end < start``)."""
    if end < start:
        return 0
    whole_weeks, rest = divmod((end - start).days + 1, 7)
    first = start.weekday()
    return whole_weeks * 5 + sum(1 for offset in range(rest) if (first + offset) % 7 < _SATURDAY)


def is_half_day(programme: str, month: Month, percentage: int) -> bool:
    """Whether a day at ``percentage`` counts half in ``month``."""
    if programme == "AFT" and month.first_day >= AFT_HALF_AT_FIFTY_FROM:
        return percentage <= NAV_HALF_SEAT_BELOW
    return percentage < NAV_HALF_SEAT_BELOW


class MonthBasis:
    """The days of one month that count, on the month's basis, and its closed days."""

    def __init__(self, month: Month, closed: Sequence[tuple[dt.date, dt.date]] = ()) -> None:
        self.month = month
        self.first = month.first_day
        self.last = month.last_day
        self.weekdays_only = self.first >= WEEKDAYS_FROM
        self.closed = closed
        """Disjoint spans inside the month, in order."""
        self.days = self.count(self.first, self.last)
        """The month's days on its basis: the denominator of every fraction."""

    def count(self, start: dt.date, end: dt.date) -> int:
        """The days from ``start`` to ``end`` (inside the month) that the basis counts."""
        if self.weekdays_only:
            return weekdays(start, end)
        return max((end - start).days + 1, 0)

    def open_days(self, start: dt.date, end: dt.date) -> int:
        """As :meth:`count`, less the days the provider was closed."""
        days = self.count(start, end)
        for closed_start, closed_end in self.closed:
            days -= self.count(max(start, closed_start), min(end, closed_end))
        return days

    def clip(self, start: dt.date, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
        first = max(start, self.first)
        last = self.last if end is None else min(end, self.last)
        return (first, last) if first <= last else None


def participation_month(journey: JourneyTimeline, programme: str, basis: MonthBasis) -> Fraction:
    """A participation's share of the month, exact (before rounding to its månedsverk)."""
    half_days = 0  # a whole day is two halves: integers until the one division
    for start, end, percentage in journey.percentage_spans():
        days = basis.clip(start, end)
        if days is not None:
            weight = 1 if is_half_day(programme, basis.month, percentage) else 2
            half_days += weight * basis.open_days(*days)
    return Fraction(half_days, 2 * basis.days)


def _participations(
    journeys: Iterable[JourneyTimeline], programme: str, basis: MonthBasis
) -> Iterator[tuple[JourneyTimeline, Decimal]]:
    """Each participation active on a counted day of the month, with its månedsverk."""
    for journey in journeys:
        share = participation_month(journey, programme, basis)
        if share > 0:
            yield journey, half_up(share, MANEDSVERK_DECIMALS)


def _allocated_months(
    allocations: Iterable[Sequence[SeatsAllocated]], basis: MonthBasis
) -> Fraction:
    """Seats times the share of the month they were allocated for (closures not deducted);
    each allocating organisation's seats add up."""
    seat_days = Fraction(0)
    for stream_allocations in allocations:
        for start, end, seats in allocation_spans(stream_allocations):
            days = basis.clip(start, end)
            if days is not None:
                # Through its shortest decimal text, so 46.5 seats are exactly 46.5.
                seat_days += Fraction(repr(seats)) * basis.count(*days)
    return seat_days / basis.days


def _closed_days(
    closures: Iterable[Closure], programme: str, month: Month
) -> list[tuple[dt.date, dt.date]]:
    """The month's closed days for ``programme`` as disjoint spans, so none counts twice."""
    spans = sorted(
        (max(closure.start, month.first_day), min(closure.end, month.last_day))
        for closure in closures
        if closure.closes(programme)
        and closure.start <= month.last_day
        and closure.end >= month.first_day
    )
    merged: list[tuple[dt.date, dt.date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


class _InView(NamedTuple):
    journeys: dict[str, list[JourneyTimeline]]
    """Per programme, the journeys placed on some day of the period, as of its end."""
    allocations: dict[str, list[list[SeatsAllocated]]]
    """Per programme, each allocating organisation's allocations dated by the period's end."""
    known_from: dict[str, dt.date]
    """Per programme, its first referral or allocation."""


def _in_view(timelines: Timelines, period: Period) -> _InView:
    found = _InView({}, {}, {})
    for journey in timelines.all_journeys():
        in_view = journey.as_of(period.end)
        if in_view is None:
            continue
        programme = in_view.programme
        _note_known(found.known_from, programme, in_view.referred_on)
        if in_view.placed_on is not None and period.overlaps(in_view.placed_on, in_view.exit_date):
            found.journeys.setdefault(programme, []).append(in_view)
    for stream_allocations in timelines.allocations.values():
        by_programme: dict[str, list[SeatsAllocated]] = {}
        for allocation in stream_allocations:
            if allocation.date <= period.end:
                by_programme.setdefault(allocation.programme, []).append(allocation)
                _note_known(found.known_from, allocation.programme, allocation.date)
        for programme, programme_allocations in by_programme.items():
            found.allocations.setdefault(programme, []).append(programme_allocations)
    return found


def _note_known(known_from: dict[str, dt.date], programme: str, day: dt.date) -> None:
    if programme not in known_from or day < known_from[programme]:
        known_from[programme] = day

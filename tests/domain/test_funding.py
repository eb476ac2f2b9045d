"""Nav's funding rule, example by example: given events, when funding is computed, then..."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from orbit_domain.errors import InvalidValueError
from orbit_domain.events import (
    Event,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    SeatsAllocated,
)
from orbit_domain.funding import (
    FundingMonth,
    FundingResult,
    MissingRate,
    ParticipantMonth,
    funding,
    half_up,
    weekdays,
)
from orbit_domain.funding_rates import DEFAULT_RATES, parse_rates, rate_of, with_overrides
from orbit_domain.history import Recorded
from orbit_domain.organisation import Closure
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Period
from orbit_domain.projections import EMPTY_TIMELINES, Timelines, fold

RECORDED = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def month(text: str) -> Period:
    first = day(f"{text}-01")
    following = (first + dt.timedelta(days=31)).replace(day=1)
    return Period(first, following - dt.timedelta(days=1))


def placed(
    participant: str,
    programme: str,
    on: str,
    percentage: int | None = None,
    *,
    exit_on: str | None = None,
    changes: tuple[tuple[str, int], ...] = (),
) -> list[Recorded]:
    events: list[Event] = [
        ParticipantReferred(day(on) - dt.timedelta(days=30), programme=programme),
        PlacementStarted(day(on), percentage=percentage),
        *(PercentageChanged(day(change), percentage=value) for change, value in changes),
    ]
    if exit_on is not None:
        events.append(ParticipantExited(day(exit_on), outcome=Outcome.UNKNOWN))
    return [Recorded(participant, RECORDED, event) for event in events]


def allocated(programme: str, on: str, seats: float) -> Recorded:
    return Recorded(None, RECORDED, SeatsAllocated(day(on), programme=programme, seats=seats))


def timelines(*streams: list[Recorded] | Recorded) -> Timelines:
    history: list[Recorded] = []
    for stream in streams:
        history += stream if isinstance(stream, list) else [stream]
    return fold(EMPTY_TIMELINES, history)


def only_month(result: FundingResult, programme: str = "AFT") -> FundingMonth:
    (found,) = [found for found in result.months if found.programme == programme]
    return found


def manedsverk(result: FundingResult, participant: str = "P-1") -> Decimal:
    (line,) = [line for line in result.participants if line.participant == participant]
    return line.manedsverk


# ---------------------------------------------------------------- days and the basis


def test_a_whole_month_at_full_time_is_one_manedsverk_paid_at_the_rate() -> None:
    given = timelines(placed("P-1", "AFT", "2024-05-20"))

    june = only_month(funding(given, month("2024-06")))

    assert june == FundingMonth("AFT", "2024-06", Decimal("1.00000"), 20_205, 20_205, 0)
    assert june.difference == -20_205


def test_before_august_2025_a_month_counts_calendar_days() -> None:
    # Placed on Wednesday 16 July 2025: 16 of July's 31 days, weekends included.
    given = timelines(placed("P-1", "AFT", "2025-07-16"))

    result = funding(given, month("2025-07"), by_participant=True)

    assert manedsverk(result) == Decimal("0.51613")
    assert only_month(result).payment == 10_826  # 0.51613 x 20 975 = 10 825.83


def test_from_august_2025_a_month_counts_weekdays() -> None:
    # August 2025 has 21 weekdays; placed on Saturday 16 August, the first day that
    # counts is Monday 18: 10 of 21.
    saturday = timelines(placed("P-1", "AFT", "2025-08-16"))
    monday = timelines(placed("P-1", "AFT", "2025-08-18"))

    on_saturday = funding(saturday, month("2025-08"), by_participant=True)
    on_monday = funding(monday, month("2025-08"), by_participant=True)

    assert manedsverk(on_saturday) == manedsverk(on_monday) == Decimal("0.47619")


def test_the_exit_date_is_the_last_active_day() -> None:
    # Exit on Friday 15 August 2025: 1-15 August hold 11 weekdays of 21.
    given = timelines(placed("P-1", "VTA", "2025-06-01", exit_on="2025-08-15"))

    result = funding(given, month("2025-08"), by_participant=True)

    assert manedsverk(result) == Decimal("0.52381")


def test_a_participant_exited_before_the_month_or_placed_after_it_is_not_in_it() -> None:
    given = timelines(
        placed("P-1", "AFT", "2024-01-10", exit_on="2024-05-31"),
        placed("P-2", "AFT", "2024-07-01"),
    )

    result = funding(given, month("2024-06"), by_participant=True)

    assert result.participants == ()
    assert only_month(result).manedsverk == 0


def test_events_after_the_period_do_not_change_it() -> None:
    later_exit = timelines(placed("P-1", "AFT", "2024-05-01", exit_on="2024-07-10"))
    still_open = timelines(placed("P-1", "AFT", "2024-05-01"))

    assert funding(later_exit, month("2024-06")) == funding(still_open, month("2024-06"))


# ---------------------------------------------------------------- the 50 % rule


@pytest.mark.parametrize(
    ("programme", "in_month", "percentage", "expected"),
    [
        ("AFT", "2025-06", 49, "0.50000"),
        ("AFT", "2025-06", 50, "1.00000"),
        ("VTA", "2025-06", 49, "0.50000"),
        ("VTA", "2025-06", 50, "1.00000"),
        ("AFT", "2026-01", 50, "0.50000"),
        ("AFT", "2026-01", 51, "1.00000"),
        ("VTA", "2026-01", 50, "1.00000"),
        ("VTA", "2026-01", 49, "0.50000"),
    ],
)
def test_a_day_below_fifty_percent_counts_half_and_for_aft_from_2026_fifty_too(
    programme: str, in_month: str, percentage: int, expected: str
) -> None:
    given = timelines(placed("P-1", programme, "2025-01-01", percentage))

    result = funding(given, month(in_month), by_participant=True)

    assert manedsverk(result) == Decimal(expected)


def test_a_percentage_change_mid_month_weighs_each_day_at_its_own_percentage() -> None:
    # June 2024 (calendar days): 1-10 at 40 % (half), 11-30 at 100 %: (5 + 20) / 30.
    given = timelines(placed("P-1", "VTA", "2024-05-01", 40, changes=(("2024-06-11", 100),)))

    result = funding(given, month("2024-06"), by_participant=True)

    assert manedsverk(result) == Decimal("0.83333")


# ---------------------------------------------------------------- closures


def test_closed_days_are_deducted_for_their_programme_or_for_all() -> None:
    given = timelines(placed("P-1", "AFT", "2024-01-01"), placed("P-2", "VTA", "2024-01-01"))
    closures = [
        Closure(day("2024-07-01"), day("2024-07-21"), "VTA"),  # 21 days, VTA only
        Closure(day("2024-07-29"), day("2024-07-31")),  # 3 days, every programme
    ]

    result = funding(given, month("2024-07"), closures=closures, by_participant=True)

    assert manedsverk(result, "P-1") == Decimal("0.90323")  # 28 / 31
    assert manedsverk(result, "P-2") == Decimal("0.22581")  # 7 / 31


def test_overlapping_closures_deduct_each_day_once_and_never_the_commitment() -> None:
    given = timelines(placed("P-1", "AFT", "2024-01-01"), allocated("AFT", "2024-01-01", 10))
    closures = [
        Closure(day("2024-07-10"), day("2024-07-20")),
        Closure(day("2024-07-15"), day("2024-07-25"), "AFT"),
    ]

    result = funding(given, month("2024-07"), closures=closures, by_participant=True)

    assert manedsverk(result) == Decimal("0.48387")  # 15 of 31 days open
    assert only_month(result).commitment == 10 * 20_205


def test_a_participant_closed_every_active_day_has_no_line() -> None:
    given = timelines(placed("P-1", "AFT", "2024-07-29"))

    result = funding(
        given, month("2024-07"), closures=[Closure(day("2024-07-27"), day("2024-08-02"))]
    )

    assert result.participants == ()
    assert only_month(result).payment == 0


def test_a_closure_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(InvalidValueError, match="closure: until 2024-07-01 is before 2024-07-02"):
        Closure(day("2024-07-02"), day("2024-07-01"))


# ---------------------------------------------------------------- rounding


def test_half_up_rounds_ties_away_from_zero_unlike_half_even() -> None:
    assert half_up(Fraction(5, 2), 0) == 3
    assert half_up(Fraction(1, 200_000), 5) == Decimal("0.00001")
    assert half_up(Fraction(1, 3), 5) == Decimal("0.33333")
    assert half_up(Fraction(2, 3), 5) == Decimal("0.66667")


def test_a_payment_on_half_a_krone_rounds_up() -> None:
    # Half a månedsverk at AFT 2024's 20 205 is 10 102.5 kroner.
    given = timelines(placed("P-1", "AFT", "2024-01-01", 30))

    assert only_month(funding(given, month("2024-06"))).payment == 10_103


def test_the_payment_is_the_rounded_sum_of_rounded_manedsverk() -> None:
    # Each of three participants placed 21 July 2024: 11/31 = 0.354838.. -> 0.35484.
    given = timelines(*(placed(f"P-{n}", "AFT", "2024-07-21") for n in (1, 2, 3)))

    july = only_month(funding(given, month("2024-07")))

    assert july.manedsverk == Decimal("1.06452")
    assert july.payment == 21_509  # 1.06452 x 20 205 = 21 508.63


# ---------------------------------------------------------------- participations


def test_each_participation_is_a_line_of_its_own() -> None:
    given = timelines(
        [
            *placed("P-1", "AFT", "2024-06-01", exit_on="2024-06-10"),
            Recorded("P-1", RECORDED, ParticipantReferred(day("2024-06-15"), programme="AFT")),
            Recorded("P-1", RECORDED, PlacementStarted(day("2024-06-21"))),
        ],
        placed("P-2", "VTA", "2024-06-16"),
    )

    result = funding(given, month("2024-06"), by_participant=True)

    assert result.participants == (
        ParticipantMonth("P-1", "AFT", "2024-06", Decimal("0.33333")),
        ParticipantMonth("P-1", "AFT", "2024-06", Decimal("0.33333")),
        ParticipantMonth("P-2", "VTA", "2024-06", Decimal("0.50000")),
    )
    assert only_month(result).manedsverk == Decimal("0.66666")


def test_participant_lines_are_left_out_unless_asked_for() -> None:
    given = timelines(placed("P-1", "AFT", "2024-01-01"))

    assert funding(given, month("2024-06")).participants == ()


# ---------------------------------------------------------------- commitment


def test_the_commitment_is_seats_times_rate_for_a_whole_month() -> None:
    given = timelines(allocated("VTA", "2024-01-01", 46), allocated("VTA", "2024-07-01", 51))

    result = funding(given, Period.year(2024))

    by_month = {found.month: found.commitment for found in result.months}
    assert by_month["2024-06"] == 46 * 16_231
    assert by_month["2024-07"] == 51 * 16_231


def test_seats_changing_mid_month_are_weighted_by_days_on_the_months_basis() -> None:
    # June 2024: 10 seats for 15 days, 20 for 15 days. August 2025 (21 weekdays): 10 seats
    # for Friday 1 August to Sunday 10 (6 weekdays), then 31 seats (15 weekdays).
    given = timelines(
        allocated("AFT", "2024-01-01", 10),
        allocated("AFT", "2024-06-16", 20),
        allocated("AFT", "2025-08-01", 10),
        allocated("AFT", "2025-08-11", 31),
    )

    june = only_month(funding(given, month("2024-06")))
    august = only_month(funding(given, month("2025-08")))

    assert june.commitment == 15 * 20_205
    assert august.commitment == round(Fraction(6 * 10 + 15 * 31, 21) * 20_975)


def test_fractional_seats_count_as_written() -> None:
    given = timelines(allocated("AFT", "2024-01-01", 46.5))

    assert only_month(funding(given, month("2024-03"))).commitment == 939_533  # 939 532.5


# ---------------------------------------------------------------- rates and periods


def test_a_year_without_a_rate_is_named_and_gets_no_funding() -> None:
    given = timelines(placed("P-1", "AFT", "2023-01-01"), placed("P-2", "VTA", "2023-01-01"))

    result = funding(given, Period.year(2023))

    assert {found.programme for found in result.months} == {"AFT"}
    assert result.missing_rates == (MissingRate("VTA", 2023),)


def test_rates_given_replace_the_defaults_for_their_year_and_programme_only() -> None:
    rates = with_overrides(DEFAULT_RATES, {2024: {"VTA": 17_000}, 2019: {"AFT": 1}})

    assert rate_of(rates, 2024, "VTA") == 17_000
    assert rate_of(rates, 2024, "AFT") == 20_205
    assert rate_of(rates, 2019, "AFT") == 1
    assert rate_of(rates, 2019, "VTA") is None


def test_the_year_s_totals_add_up_its_months() -> None:
    given = timelines(placed("P-1", "AFT", "2024-03-10", 40), allocated("AFT", "2024-01-01", 2))

    result = funding(given, Period.year(2024))

    (total,) = result.totals()
    assert total.manedsverk == sum(found.manedsverk for found in result.months)
    assert total.payment == sum(found.payment for found in result.months)
    assert total.commitment == 12 * 2 * 20_205
    assert total.difference == total.commitment - total.payment


def test_funding_is_computed_for_whole_months_only() -> None:
    with pytest.raises(InvalidValueError, match="whole months, not 2024-01-02 to 2024-01-31"):
        funding(EMPTY_TIMELINES, Period(day("2024-01-02"), day("2024-01-31")))


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-08-01", "2025-08-31", 21),  # Friday to Sunday
        ("2025-08-02", "2025-08-03", 0),  # a weekend
        ("2025-08-04", "2025-08-10", 5),
        ("2025-08-05", "2025-08-04", 0),
        ("2024-02-01", "2024-02-29", 21),  # a leap February
    ],
)
def test_weekdays_counts_mondays_to_fridays(start: str, end: str, expected: int) -> None:
    assert weekdays(day(start), day(end)) == expected


# ---------------------------------------------------------------- configured rates


def test_configured_rates_are_read_per_year_and_programme() -> None:
    rates = parse_rates({"2024": {"AFT": 20_205, "VTA": 16_231}, "2027": {"AFT": 22_000}})

    assert dict(rates[2024]) == {"AFT": 20_205, "VTA": 16_231}
    assert dict(rates[2027]) == {"AFT": 22_000}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([], "funding.rates: must be a table of years"),
        ({"24": {"AFT": 1}}, "funding.rates.24: '24' is not a year"),
        ({"2024": 20_205}, "funding.rates.2024: must be a table of programmes"),
        ({"2024": {"aft": 1}}, "funding.rates.2024.aft: 'aft' is not a programme code"),
        ({"2024": {"AFT": 0}}, "funding.rates.2024.AFT: must be whole kroner above 0, not 0"),
        ({"2024": {"AFT": 1.5}}, "funding.rates.2024.AFT: must be whole kroner above 0"),
        ({"2024": {"AFT": True}}, "funding.rates.2024.AFT: must be whole kroner above 0"),
        ({"2024": {"AFT": "20205"}}, "funding.rates.2024.AFT: must be whole kroner above 0"),
    ],
)
def test_a_bad_rate_is_refused_naming_its_key(table: object, message: str) -> None:
    with pytest.raises(InvalidValueError) as raised:
        parse_rates(table)

    assert str(raised.value).startswith(message)

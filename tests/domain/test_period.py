"""Report periods: inclusive ends, and the calendar months they cover."""

from __future__ import annotations

import datetime as dt

import pytest

from orbit_domain.errors import InvalidValueError
from orbit_domain.period import Month, Period


def test_a_period_may_not_start_after_it_ends() -> None:
    with pytest.raises(InvalidValueError, match="from 2024-02-02 is after until 2024-02-01"):
        Period(dt.date(2024, 2, 2), dt.date(2024, 2, 1))


def test_a_one_day_period_has_one_day() -> None:
    assert Period(dt.date(2024, 2, 29), dt.date(2024, 2, 29)).days == 1


def test_a_year_runs_from_the_first_of_january_to_the_last_of_december() -> None:
    assert Period.year(2024) == Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    assert Period.year(2024).days == 366


def test_both_ends_are_in_the_period() -> None:
    period = Period(dt.date(2024, 1, 10), dt.date(2024, 1, 20))

    assert dt.date(2024, 1, 10) in period
    assert dt.date(2024, 1, 20) in period
    assert dt.date(2024, 1, 21) not in period
    assert None not in period


def test_the_months_of_a_period_across_a_year_end_are_listed_oldest_first() -> None:
    period = Period(dt.date(2023, 11, 30), dt.date(2024, 1, 1))

    assert period.months() == (Month(2023, 11), Month(2023, 12), Month(2024, 1))


def test_a_period_is_split_into_the_days_of_each_month_inside_it() -> None:
    period = Period(dt.date(2024, 2, 20), dt.date(2024, 3, 5))

    assert list(period.split_by_month()) == [
        (Month(2024, 2), Period(dt.date(2024, 2, 20), dt.date(2024, 2, 29))),
        (Month(2024, 3), Period(dt.date(2024, 3, 1), dt.date(2024, 3, 5))),
    ]


def test_a_month_knows_its_last_day_in_leap_and_common_years() -> None:
    assert Month(2024, 2).last_day == dt.date(2024, 2, 29)
    assert Month(2023, 2).last_day == dt.date(2023, 2, 28)
    assert Month(2023, 12).last_day == dt.date(2023, 12, 31)


def test_a_month_is_written_year_dash_month() -> None:
    assert str(Month(2024, 3)) == "2024-03"


def test_clipping_an_open_ended_span_ends_it_at_the_end_of_the_period() -> None:
    period = Period(dt.date(2024, 1, 1), dt.date(2024, 1, 31))

    assert period.clip(dt.date(2023, 12, 1), None) == period
    assert period.clip(dt.date(2024, 2, 1), None) is None
    assert period.clip(dt.date(2023, 1, 1), dt.date(2023, 12, 31)) is None


def test_the_last_month_a_date_can_have_ends_on_the_last_day_there_is() -> None:
    december = Month(9999, 12)

    assert december.last_day == dt.date(9999, 12, 31)
    assert Period.year(9999).months()[-1] == december

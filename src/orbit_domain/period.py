"""Report periods and the calendar months they are split into.

Both ends of a period are inclusive, as in the spec (``from``..``until``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import attrs

from orbit_domain.errors import InvalidValueError

ONE_DAY = dt.timedelta(days=1)


def day_count(start: dt.date, end: dt.date) -> int:
    """The number of days from ``start`` to ``end``, both included (0 when ``end < start``)."""
    return max((end - start).days + 1, 0)


@attrs.frozen(order=True)
class Month:
    """A calendar month, written ``YYYY-MM`` in reports."""

    year: int
    month: int

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        if self.month == 12:  # not via the following month, which year 9999 does not have
            return dt.date(self.year, 12, 31)
        return self.following().first_day - ONE_DAY

    def following(self) -> Month:
        if self.month == 12:
            return Month(self.year + 1, 1)
        return Month(self.year, self.month + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


@attrs.frozen
class Period:
    """The days from ``start`` to ``end``, both included."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if self.start > self.end:
            raise InvalidValueError(
                "period",
                f"from {self.start.isoformat()} is after until {self.end.isoformat()}",
            )

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def days(self) -> int:
        return day_count(self.start, self.end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        """Whether the days ``start``..``end`` (open-ended when ``end`` is None) touch this one."""
        return start <= self.end and (end is None or end >= self.start)

    def clip(self, start: dt.date, end: dt.date | None) -> Period | None:
        """The part of ``start``..``end`` (open-ended when ``end`` is None) inside this period."""
        if not self.overlaps(start, end):
            return None
        return Period(max(start, self.start), self.end if end is None else min(end, self.end))

    def months(self) -> tuple[Month, ...]:
        """Every calendar month overlapping the period, oldest first."""
        months = [Month.of(self.start)]
        while months[-1].last_day < self.end:
            months.append(months[-1].following())
        return tuple(months)

    def split_by_month(self) -> Iterator[tuple[Month, Period]]:
        """The period cut at month boundaries: each month with its days inside the period."""
        for month in self.months():
            part = self.clip(month.first_day, month.last_day)
            assert part is not None  # every month from months() overlaps
            yield month, part

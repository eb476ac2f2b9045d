"""Small random draws the generator is built from, all from one seeded ``random.Random``."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

T = TypeVar("T")

SATURDAY = 5
# How many referrals arrive per month, relative to each other: summer and Christmas are quiet.
REFERRAL_SEASON = (1.1, 1.1, 1.1, 1.0, 1.0, 0.8, 0.35, 1.0, 1.25, 1.1, 1.0, 0.6)


@attrs.frozen
class Weighted(Generic[T]):
    """A value picked with fixed relative weights."""

    values: tuple[T, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def of(cls, weights: Mapping[T, float]) -> Weighted[T]:
        return cls(tuple(weights), tuple(itertools.accumulate(weights.values())))

    def pick(self, rng: random.Random) -> T:
        return rng.choices(self.values, cum_weights=self.cum_weights)[0]


@attrs.frozen
class Durations:
    """A length in days: a weighted mix of ranges, uniform within each range."""

    ranges: Weighted[tuple[int, int]]
    mean_days: float
    # The same mix weighted by length: see sample_running.
    running_ranges: Weighted[tuple[int, int]]

    @classmethod
    def of(cls, weights: Mapping[tuple[int, int], float]) -> Durations:
        total = sum(weights.values())
        means = {span: (span[0] + span[1]) / 2 for span in weights}
        return cls(
            ranges=Weighted.of(weights),
            mean_days=sum(weight * means[span] for span, weight in weights.items()) / total,
            running_ranges=Weighted.of({span: w * means[span] for span, w in weights.items()}),
        )

    def sample(self, rng: random.Random) -> int:
        low, high = self.ranges.pick(rng)
        return rng.randint(low, high)

    def sample_running(self, rng: random.Random) -> int:
        """The full length of a placement seen running on some day.

        Long placements are more likely to be running on any given day (the inspection
        paradox), so a stock of running placements has lengths drawn in proportion to
        length: pick a range by weight x mean length, then a length in it with density
        proportional to the length.
        """
        low, high = self.running_ranges.pick(rng)
        return round(math.sqrt(low * low + rng.random() * (high * high - low * low)))


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson-distributed count (Knuth's method; the means used here are small)."""
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def next_workday(day: dt.date) -> dt.date:
    """``day``, or the Monday after it when it falls on a weekend."""
    weekday = day.weekday()
    return day + dt.timedelta(days=7 - weekday) if weekday >= SATURDAY else day


def previous_workday(day: dt.date) -> dt.date:
    """``day``, or the Friday before it when it falls on a weekend."""
    weekday = day.weekday()
    return day - dt.timedelta(days=weekday - 4) if weekday >= SATURDAY else day


def days_after(rng: random.Random, day: dt.date, low: int, high: int) -> dt.date:
    """A workday ``low``-``high`` days after ``day`` (later when that is a weekend)."""
    return next_workday(day + dt.timedelta(days=rng.randint(low, high)))


def seasonal_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A workday from ``first`` to ``last``, more likely in busy months."""
    span = (last - first).days
    busiest = max(REFERRAL_SEASON)
    while True:
        day = next_workday(first + dt.timedelta(days=rng.randint(0, span)))
        if day <= last and rng.random() * busiest < REFERRAL_SEASON[day.month - 1]:
            return day


def sometimes(rng: random.Random, value: T, share: float) -> T | None:
    """``value`` with probability ``share``, otherwise ``None`` (an optional field left out)."""
    return value if rng.random() < share else None

"""The organisation being simulated, its time frame, and the people it serves."""

from __future__ import annotations

import datetime as dt
import random

import attrs

from orbit_domain.events import Gender
from orbit_synthetic.draws import Weighted, sometimes
from orbit_synthetic.profiles import PROFILES
from orbit_synthetic.vocabulary import DEPARTMENTS, EMPLOYER_TEMPLATES, REGIONS

GENDERS: Weighted[Gender | None] = Weighted.of(
    {Gender.FEMALE: 44, Gender.MALE: 50, Gender.OTHER: 1.5, None: 4.5}
)
OLDEST_AT_START = 66


@attrs.frozen
class Timeline:
    """The simulated time of one history.

    The simulation starts half a year before ``first_year`` with the placements then
    running, so that the waiting list has filled and seat use is steady by 1 January;
    nothing is dated after ``horizon``, and nothing recorded after ``cutoff`` (the
    moment the history is exported) is included.
    """

    first_year: int
    last_year: int

    @property
    def start(self) -> dt.date:
        return dt.date(self.first_year - 1, 7, 1)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.first_year, 1, 1)

    @property
    def horizon(self) -> dt.date:
        return dt.date(self.last_year, 12, 31)

    @property
    def cutoff(self) -> dt.datetime:
        return dt.datetime(self.last_year, 12, 31, 23, 59, 59, tzinfo=dt.UTC)

    @property
    def simulated_years(self) -> float:
        return ((self.horizon - self.start).days + 1) / 365.25


@attrs.frozen
class Person:
    gender: Gender | None
    birth_year: int
    municipality: str


@attrs.frozen
class Organisation:
    """One work-inclusion company: where it is, and so where its people live and work."""

    timeline: Timeline
    municipalities: Weighted[str]

    @classmethod
    def draw(cls, rng: random.Random, timeline: Timeline) -> Organisation:
        region = rng.choice(REGIONS)
        # The regional centre sends about as many referrals as the rest together.
        weights = {name: (len(region) - 1 if i == 0 else 1) for i, name in enumerate(region)}
        return cls(timeline, Weighted.of(weights))

    def person(self, rng: random.Random, programme: str, referred: dt.date) -> Person:
        low, high, mode = PROFILES[programme].age_at_referral
        # Someone placed long before the simulation starts is not yet of pension age then.
        oldest = max(low, OLDEST_AT_START - (self.timeline.start.year - referred.year))
        age = min(round(rng.triangular(low, high, mode)), oldest)
        return Person(GENDERS.pick(rng), referred.year - age, self.municipalities.pick(rng))

    def nav_office(self, rng: random.Random, person: Person) -> str | None:
        return sometimes(rng, f"NAV {person.municipality}", 0.9)

    def department(self, rng: random.Random, programme: str) -> str | None:
        return sometimes(rng, rng.choice(DEPARTMENTS[programme]), 0.9)

    def employer(self, rng: random.Random) -> str | None:
        template = rng.choice(EMPLOYER_TEMPLATES)
        return sometimes(rng, template.format(m=self.municipalities.pick(rng)), 0.9)

"""The organisation's own facts: complaints, staff training, closures, now and then a retraction.

They are drawn from a random generator of their own, so that adding them left every
participant event and allocation of a seed exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterator, Sequence

import attrs

from orbit_domain.events import (
    ComplaintReceived,
    FactRetracted,
    OrganisationEvent,
    ProviderClosed,
    StaffTrainingRecorded,
)
from orbit_synthetic.draws import Weighted, next_workday
from orbit_synthetic.people import Timeline

COMPLAINTS_PER_YEAR = (0, 3)
TRAINING_RECORDS_PER_YEAR = (8, 16)
# Half days are the smallest unit a course or seminar is registered in.
TRAINING_HALF_DAYS = Weighted.of({(1, 2): 30, (2, 6): 40, (6, 20): 22, (20, 60): 8})
TRAINING_TOPICS = (
    "veiledningsmetodikk",
    "Supported Employment",
    "IPS-fagdag",
    "førstehjelp",
    "motiverende intervju",
    "personvern og informasjonssikkerhet",
    "arbeidsrettet kartlegging",
)
COMPLAINT_CATEGORIES: Weighted[str | None] = Weighted.of(
    {"service": 50, "conduct": 25, "privacy": 10, None: 15}
)
SUMMER_CLOSURE_RATE = 0.7
CHRISTMAS_CLOSURE_RATE = 0.8
RETRACTION_RATE = 0.3


@attrs.frozen
class RecordedFact:
    """An organisation event with the moment it was recorded and its event id."""

    recorded_at: dt.datetime
    event: OrganisationEvent
    event_id: str


def organisation_facts(
    seed: int, programmes: Sequence[str], timeline: Timeline
) -> Iterator[RecordedFact]:
    """Every year's complaints, training records and closures, oldest year first.

    Nothing is dated or recorded after the timeline's cutoff.
    """
    rng = random.Random(f"orbit-organisation-facts:{seed}")
    for year in range(timeline.first_year, timeline.last_year + 1):
        facts = [
            *_complaints(rng, programmes, year),
            *_staff_training(rng, year),
            *_closures(rng, year, timeline.horizon),
        ]
        facts.extend(_retraction(rng, facts))
        yield from (fact for fact in facts if fact.recorded_at <= timeline.cutoff)


def _complaints(rng: random.Random, programmes: Sequence[str], year: int) -> Iterator[RecordedFact]:
    for _ in range(rng.randint(*COMPLAINTS_PER_YEAR)):
        day = _day_in(rng, year)
        programme = rng.choice(programmes) if programmes and rng.random() < 0.8 else None
        category = COMPLAINT_CATEGORIES.pick(rng)
        yield _fact(rng, _office_hours(rng, day), ComplaintReceived(day, programme, category))


def _staff_training(rng: random.Random, year: int) -> Iterator[RecordedFact]:
    for _ in range(rng.randint(*TRAINING_RECORDS_PER_YEAR)):
        day = _day_in(rng, year)
        days = rng.randint(*TRAINING_HALF_DAYS.pick(rng)) / 2
        topic = rng.choice(TRAINING_TOPICS)
        registered = day + dt.timedelta(days=rng.randint(0, 21))
        yield _fact(rng, _office_hours(rng, registered), StaffTrainingRecorded(day, days, topic))


def _closures(rng: random.Random, year: int, horizon: dt.date) -> Iterator[RecordedFact]:
    """Three summer weeks from a Monday in July, and the days between Christmas and New Year.

    Closures are decided and registered in the spring or autumn before they happen.
    """
    if rng.random() < SUMMER_CLOSURE_RATE:
        first_monday = dt.date(year, 7, 1) + dt.timedelta(
            days=(7 - dt.date(year, 7, 1).weekday()) % 7
        )
        start = first_monday + dt.timedelta(weeks=rng.randint(0, 2))
        closed = ProviderClosed(start, start + dt.timedelta(days=20))
        yield _fact(rng, _office_hours(rng, dt.date(year, 4, rng.randint(1, 30))), closed)
    christmas = dt.date(year, 12, 24)
    if rng.random() < CHRISTMAS_CLOSURE_RATE and christmas <= horizon:
        closed = ProviderClosed(christmas, min(dt.date(year, 12, 31), horizon))
        yield _fact(rng, _office_hours(rng, dt.date(year, 11, rng.randint(1, 30))), closed)


def _retraction(rng: random.Random, facts: Sequence[RecordedFact]) -> Iterator[RecordedFact]:
    """Now and then a fact was registered twice: the copy is retracted weeks later."""
    if not facts or rng.random() >= RETRACTION_RATE:
        return
    original = rng.choice(facts)
    copy = _fact(
        rng, original.recorded_at + dt.timedelta(minutes=rng.randint(5, 90)), original.event
    )
    yield copy
    noticed = copy.recorded_at + dt.timedelta(days=rng.randint(7, 60))
    yield _fact(rng, noticed, FactRetracted(original.event.date, copy.event_id))


def _fact(rng: random.Random, recorded_at: dt.datetime, event: OrganisationEvent) -> RecordedFact:
    return RecordedFact(recorded_at, event, str(uuid.UUID(int=rng.getrandbits(128), version=4)))


def _day_in(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _office_hours(rng: random.Random, day: dt.date) -> dt.datetime:
    """A moment in office hours on ``day``, or on the Monday after it: never before it,
    since a complaint or a training is registered once it has happened."""
    workday = next_workday(day)
    return dt.datetime(
        workday.year,
        workday.month,
        workday.day,
        rng.randint(8, 15),
        rng.randint(0, 59),
        tzinfo=dt.UTC,
    )

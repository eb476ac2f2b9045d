"""A whole synthetic history of one organisation, as events-v1 lines in a valid file order."""

from __future__ import annotations

import datetime as dt
import random
import re
import uuid
from collections.abc import Iterator
from operator import itemgetter

import attrs

from orbit_adapters.events_v1 import encode_line
from orbit_domain.events import Event
from orbit_synthetic.draws import seasonal_day
from orbit_synthetic.journeys import (
    Skeleton,
    new_journey,
    participant_events,
    running_journey,
)
from orbit_synthetic.organisation_facts import organisation_facts
from orbit_synthetic.people import Organisation, Timeline
from orbit_synthetic.profiles import PROFILES, Profile
from orbit_synthetic.recording import record_stream
from orbit_synthetic.seats import SeatUse, allocations

FIRST_YEAR = 1900
LAST_YEAR = 2100
KEY_PREFIX = re.compile(r"[A-Za-z0-9._:-]{1,40}")
LONGEST_WAIT_DAYS = 540


@attrs.frozen
class GeneratedEvent:
    """One event of a synthetic history in its envelope."""

    event: Event
    participant: str | None
    event_id: str
    recorded_at: dt.datetime

    def line(self) -> str:
        return encode_line(self.event, self.participant, self.event_id, self.recorded_at)


def generate_history(
    *, seed: int, participants: int, first_year: int, last_year: int, key_prefix: str = "P"
) -> Iterator[str]:
    """The events-v1 lines (without newlines) of a realistic synthetic history.

    See :func:`generate_events`.
    """
    events = generate_events(
        seed=seed,
        participants=participants,
        first_year=first_year,
        last_year=last_year,
        key_prefix=key_prefix,
    )
    return (generated.line() for generated in events)


def generate_events(
    *, seed: int, participants: int, first_year: int, last_year: int, key_prefix: str = "P"
) -> Iterator[GeneratedEvent]:
    """The events of one organisation's synthetic history, in a valid file order.

    ``participants`` distinct keys ``{key_prefix}-000001`` ..., numbered by first referral;
    events dated up to 31 December of ``last_year`` and recorded by its end; the same
    arguments give the same events, ids and order. Raises ``ValueError`` for bad arguments.
    """
    if participants < 1:
        raise ValueError(f"participants must be at least 1, not {participants}")
    if not FIRST_YEAR <= first_year <= last_year <= LAST_YEAR:
        raise ValueError(
            f"years must satisfy {FIRST_YEAR} <= first_year <= last_year <= {LAST_YEAR}, "
            f"not {first_year}-{last_year}"
        )
    if KEY_PREFIX.fullmatch(key_prefix) is None:
        raise ValueError("key_prefix must be 1-40 characters of A-Z a-z 0-9 . _ : -")
    timeline = Timeline(first_year, last_year)
    return _generate(seed, participants, timeline, key_prefix)


def organisation_seed(seed: int, number: int) -> int:
    """The seed of organisation ``number`` (from 1) of a data set of several organisations.

    Derived from both, so that organisations differ from each other and between seeds.
    """
    return random.Random(f"orbit-organisation:{seed}:{number}").getrandbits(63)


def _generate(
    seed: int, participants: int, timeline: Timeline, key_prefix: str
) -> Iterator[GeneratedEvent]:
    rng = random.Random(seed)
    organisation = Organisation.draw(rng, timeline)
    seat_use = SeatUse(timeline.first_day, timeline.horizon)
    # (recorded_at, participant key, event, event id when drawn apart from the main generator)
    entries: list[tuple[dt.datetime, str | None, Event, str | None]] = []
    for number, first in enumerate(_first_journeys(rng, participants, timeline), start=1):
        key = f"{key_prefix}-{number:06d}"
        person = organisation.person(rng, first.programme, first.referral)
        events = participant_events(rng, organisation, person, first)
        stream = record_stream(rng, events, timeline.cutoff)
        seat_use.add_stream(event for _, event in stream)
        entries.extend((moment, key, event, None) for moment, event in stream)
    seats = allocations(rng, seat_use, timeline)
    entries.extend((moment, None, event, None) for moment, event in seats)
    facts = organisation_facts(seed, seat_use.programmes, timeline)
    entries.extend((fact.recorded_at, None, fact.event, fact.event_id) for fact in facts)
    # A stable sort by recorded_at keeps each stream in its own order.
    entries.sort(key=itemgetter(0))
    for moment, participant, event, fact_id in entries:
        event_id = fact_id or str(uuid.UUID(int=rng.getrandbits(128), version=4))
        yield GeneratedEvent(event, participant, event_id, moment)


def _first_journeys(rng: random.Random, participants: int, timeline: Timeline) -> list[Skeleton]:
    """Every participant's first journey, oldest referral first.

    A programme's share of the participants is split between placements already running
    when the simulation starts and referrals arriving during it, in the proportion a
    steady flow gives: running = arrivals per year x share placed x mean years placed.
    """
    journeys: list[Skeleton] = []
    for profile, count in _participants_per_programme(participants):
        running = round(count * _running_share(profile, timeline))
        journeys.extend(running_journey(rng, profile.code, timeline.start) for _ in range(running))
        journeys.extend(
            _arriving_journey(rng, profile.code, timeline) for _ in range(count - running)
        )
    journeys.sort(key=lambda journey: journey.referral)
    return journeys


def _arriving_journey(rng: random.Random, programme: str, timeline: Timeline) -> Skeleton:
    """A journey referred during the simulation, or before it and still waiting at its start.

    Referrals before the start that were placed or withdrawn by then are drawn again: the
    placed ones still running are the running journeys, the rest left no trace.
    """
    earliest = timeline.start - dt.timedelta(days=LONGEST_WAIT_DAYS)
    while True:
        journey = new_journey(rng, programme, seasonal_day(rng, earliest, timeline.horizon))
        waited_until = journey.placement or journey.withdrawn
        if waited_until is None or waited_until >= timeline.start:
            return journey


def _participants_per_programme(participants: int) -> list[tuple[Profile, int]]:
    """Participants split by the programmes' shares, by largest remainder."""
    profiles = list(PROFILES.values())
    exact = [participants * profile.key_share for profile in profiles]
    counts = [int(share) for share in exact]
    by_remainder = sorted(range(len(profiles)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: participants - sum(counts)]:
        counts[i] += 1
    return list(zip(profiles, counts, strict=True))


def _running_share(profile: Profile, timeline: Timeline) -> float:
    placed_years = (1 - profile.withdrawal_rate) * profile.placement.mean_days / 365.25
    return placed_years / (placed_years + timeline.simulated_years)

"""One participant's events, journey after journey, in stream order.

A journey is drawn in two steps: first its skeleton (referral, waiting, start, end),
then what happens during the placement (:mod:`.placement`). Events of a journey are
sorted by date, and within a day by the order the journey rules need (a start before
what happens in the placement, an end of one hospitering before the start of the next,
the exit last).
"""

from __future__ import annotations

import datetime as dt
import random

import attrs

from orbit_domain.events import (
    CourseCompleted,
    CourseStarted,
    ExitCorrected,
    HospiteringEnded,
    HospiteringStarted,
    ParticipantEvent,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    ReferralWithdrawn,
    SurveyAnswered,
    Waitlisted,
)
from orbit_synthetic.draws import days_after, next_workday, previous_workday, sometimes
from orbit_synthetic.people import Organisation, Person
from orbit_synthetic.placement import placement_events
from orbit_synthetic.profiles import PROFILES, Profile
from orbit_synthetic.vocabulary import WITHDRAWAL_REASONS

MAX_JOURNEYS = 3
_SAME_DAY_ORDER: dict[type[ParticipantEvent], int] = {
    cls: rank
    for rank, cls in enumerate(
        (
            ParticipantReferred,
            Waitlisted,
            ReferralWithdrawn,
            PlacementStarted,
            HospiteringEnded,
            CourseCompleted,
            PercentageChanged,
            HospiteringStarted,
            CourseStarted,
            SurveyAnswered,
            ParticipantExited,
            ExitCorrected,
        )
    )
}


@attrs.frozen
class Skeleton:
    """The dates that shape a journey; ``exit`` may lie beyond the horizon."""

    programme: str
    referral: dt.date
    waitlisted: dt.date | None = None
    withdrawn: dt.date | None = None
    placement: dt.date | None = None
    exit: dt.date | None = None


def new_journey(rng: random.Random, programme: str, referral: dt.date) -> Skeleton:
    profile = PROFILES[programme]
    waitlisted = None
    if rng.random() < profile.waitlist_rate:
        waitlisted = days_after(rng, referral, 0, 10)
    if rng.random() < profile.withdrawal_rate:
        waited = round(profile.wait.sample(rng) * rng.uniform(0.1, 1.0))
        withdrawn = days_after(rng, waitlisted or referral, 2, max(2, waited))
        return Skeleton(programme, referral, waitlisted, withdrawn=withdrawn)
    if waitlisted is None:
        placement = days_after(rng, referral, *profile.direct_start_days)
    else:
        placement = next_workday(waitlisted + dt.timedelta(days=profile.wait.sample(rng)))
    length = profile.placement.sample(rng)
    return Skeleton(
        programme, referral, waitlisted, placement=placement, exit=_end(placement, length)
    )


def running_journey(rng: random.Random, programme: str, on: dt.date) -> Skeleton:
    """A journey whose placement is running on ``on``, drawn backwards from it."""
    profile = PROFILES[programme]
    length = profile.placement.sample_running(rng)
    placement = previous_workday(on - dt.timedelta(days=rng.randint(1, max(1, length))))
    waitlisted = None
    if rng.random() < profile.waitlist_rate:
        waitlisted = previous_workday(placement - dt.timedelta(days=profile.wait.sample(rng)))
        referral = previous_workday(waitlisted - dt.timedelta(days=rng.randint(0, 10)))
    else:
        low, high = profile.direct_start_days
        referral = previous_workday(placement - dt.timedelta(days=rng.randint(low, high)))
    return Skeleton(
        programme, referral, waitlisted, placement=placement, exit=_end(placement, length)
    )


def _end(placement: dt.date, length: int) -> dt.date:
    return next_workday(placement + dt.timedelta(days=max(1, length)))


def participant_events(
    rng: random.Random, organisation: Organisation, person: Person, first: Skeleton
) -> list[ParticipantEvent]:
    """Every event of one participant up to the horizon: the first journey and re-entries."""
    horizon = organisation.timeline.horizon
    events: list[ParticipantEvent] = []
    skeleton: Skeleton | None = first
    for _ in range(MAX_JOURNEYS):
        if skeleton is None or skeleton.referral > horizon:
            break
        journey = journey_events(rng, organisation, person, skeleton)
        events.extend(journey)
        skeleton = _reentry(rng, PROFILES[skeleton.programme], journey[-1])
    return [event for event in events if event.date <= horizon]


def _reentry(rng: random.Random, profile: Profile, last: ParticipantEvent) -> Skeleton | None:
    """Sometimes a participant is referred again after a withdrawal or an exit."""
    if isinstance(last, ReferralWithdrawn):
        rate, gap = profile.reentry_after_withdrawal, (60, 365)
    elif isinstance(last, ParticipantExited | ExitCorrected):
        rate = profile.reentry_after_exit
        if last.outcome.counts_as_placement:
            rate /= 4
        gap = (90, 540)
    else:
        return None
    if rng.random() >= rate:
        return None
    programme = profile.reentry_programmes.pick(rng)
    return new_journey(rng, programme, days_after(rng, last.date, *gap))


def journey_events(
    rng: random.Random, organisation: Organisation, person: Person, skeleton: Skeleton
) -> list[ParticipantEvent]:
    profile = PROFILES[skeleton.programme]
    events: list[ParticipantEvent] = [_referral(rng, organisation, person, skeleton)]
    if skeleton.waitlisted is not None:
        events.append(Waitlisted(skeleton.waitlisted))
    if skeleton.withdrawn is not None:
        reason = sometimes(rng, rng.choice(WITHDRAWAL_REASONS), 0.8)
        events.append(ReferralWithdrawn(skeleton.withdrawn, reason))
    if skeleton.placement is not None and skeleton.exit is not None:
        events.extend(
            placement_events(rng, organisation, profile, skeleton.placement, skeleton.exit)
        )
    return sorted(events, key=lambda event: (event.date, _SAME_DAY_ORDER[type(event)]))


def _referral(
    rng: random.Random, organisation: Organisation, person: Person, skeleton: Skeleton
) -> ParticipantReferred:
    return ParticipantReferred(
        skeleton.referral,
        skeleton.programme,
        gender=person.gender,
        birth_year=sometimes(rng, person.birth_year, 0.94),
        municipality=sometimes(rng, person.municipality, 0.92),
        referred_by=organisation.nav_office(rng, person),
    )

"""When each fact became known: ``recorded_at`` for a participant's stream.

Most events are registered the day they happen or a few workdays later; a few weeks
late now and then. A stream's events are registered in order, so an event registered
late holds back those after it (the backlog is entered in one sitting). A correction
of an exit outcome is registered weeks after the exit, wherever that falls in the
stream. Whatever would be registered after the export moment is not in the history.
"""

from __future__ import annotations

import datetime as dt
import random

from orbit_domain.events import ExitCorrected, ParticipantEvent, ParticipantReferred
from orbit_synthetic.draws import next_workday

Timed = tuple[dt.datetime, ParticipantEvent]
OFFICE_HOURS_MINUTES = (7 * 60, 15 * 60 - 1)  # in UTC: 08:00-16:00 Norwegian winter time


def record_stream(
    rng: random.Random, events: list[ParticipantEvent], cutoff: dt.datetime
) -> list[Timed]:
    """``events`` (in stream order) with the moments they were recorded, up to ``cutoff``."""
    recorded: list[Timed] = []
    corrections: list[Timed] = []  # registered later than the events that follow them
    latest: dt.datetime | None = None
    for event in events:
        if isinstance(event, ExitCorrected):
            assert latest is not None, "a correction follows the exit it corrects"
            moment = latest + dt.timedelta(days=rng.randint(14, 90))
            if corrections:
                moment = max(moment, corrections[-1][0])
            corrections.append((moment, event))
            continue
        moment = _registered(rng, event, cutoff)
        if latest is not None:
            moment = max(moment, latest)
        while corrections and corrections[0][0] <= moment:
            recorded.append(corrections.pop(0))
        recorded.append((moment, event))
        latest = moment
    recorded.extend(corrections)
    return [(moment, event) for moment, event in recorded if moment <= cutoff]


def _registered(rng: random.Random, event: ParticipantEvent, cutoff: dt.datetime) -> dt.datetime:
    day = next_workday(event.date + dt.timedelta(days=_delay_days(rng)))
    if isinstance(event, ParticipantReferred):
        # Intake is registered before the export, so every participant is in the history.
        day = min(day, max(event.date, cutoff.date()))
    start_of_day = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
    return start_of_day + dt.timedelta(minutes=rng.randint(*OFFICE_HOURS_MINUTES))


def _delay_days(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.6:
        return 0
    if draw < 0.93:
        return rng.randint(1, 5)
    if draw < 0.985:
        return rng.randint(6, 20)
    return rng.randint(21, 70)  # a late registration

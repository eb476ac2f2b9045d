"""Short ways to write the given events of example tests.

Each helper returns :class:`Recorded` events, recorded at noon UTC on their date unless a
test says otherwise, so a test reads as the list of facts it starts from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from orbit_domain.events import (
    Event,
    Gender,
    ParticipantExited,
    ParticipantReferred,
    PlacementStarted,
    SeatsAllocated,
    Waitlisted,
)
from orbit_domain.history import Recorded
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Period
from orbit_domain.projections import build_report
from orbit_domain.report import ProgrammeReport
from orbit_domain.weighting import Weighting


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def noon(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{text}T12:00:00+00:00")


def period(start: str, end: str) -> Period:
    return Period(day(start), day(end))


def recorded(participant: str | None, event: Event, at: str | None = None) -> Recorded:
    """``event`` of ``participant``, recorded at noon on ``at`` (default: its own date)."""
    return Recorded(participant, noon(at or event.date.isoformat()), event)


def allocated(on: str, seats: float, programme: str = "AFT", at: str | None = None) -> Recorded:
    return recorded(None, SeatsAllocated(day(on), programme=programme, seats=seats), at)


def journey(
    participant: str,
    *,
    placed: str | None = None,
    referred: str | None = None,
    waitlisted: str | None = None,
    exited: str | None = None,
    outcome: Outcome = Outcome.WORK_UNSUBSIDISED,
    programme: str = "AFT",
    percentage: int | None = None,
    gender: Gender | None = None,
) -> list[Recorded]:
    """A journey's main events; referred on the placement date unless told otherwise."""
    referral_day = referred or waitlisted or placed
    assert referral_day is not None
    events: list[Event] = [
        ParticipantReferred(day(referral_day), programme=programme, gender=gender)
    ]
    if waitlisted is not None:
        events.append(Waitlisted(day(waitlisted)))
    if placed is not None:
        events.append(PlacementStarted(day(placed), percentage=percentage))
    if exited is not None:
        events.append(ParticipantExited(day(exited), outcome=outcome))
    return [recorded(participant, event) for event in events]


def figures(
    history: Iterable[Recorded],
    start: str,
    until: str,
    programme: str = "AFT",
    *,
    known_at: dt.datetime | None = None,
    weighting: Weighting = Weighting.PROPORTIONAL,
) -> ProgrammeReport:
    """When the report for ``start``..``until`` is built: one programme's figures."""
    report = build_report(history, period(start, until), known_at=known_at, weighting=weighting)
    return report.programmes[programme]

"""What the property modules share: report figures by programme, placements, stores.

Placements are read straight off the events here, independently of
``orbit_domain.projections``, so that properties can state identities about them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import attrs
from hypothesis import settings

from orbit_adapters.service import Orbit
from orbit_domain.events import ParticipantExited, ParticipantReferred, PlacementStarted
from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import build_report
from orbit_domain.weighting import Weighting

ALL_DATES = dt.date.max
"""An ``until`` after every generated date: a replay to it applies every event."""

half_examples = settings(max_examples=max(40, settings().max_examples // 2))
"""For the domain properties: half the profile's examples under ci (never fewer than 40),
so that the whole suite stays within its time budget; generating a history is the cost."""
store_examples = settings(max_examples=max(10, settings().max_examples // 4))
"""For properties that open real stores per example: a quarter of the profile's examples."""


def report_json(
    history: Iterable[Recorded],
    period: Period,
    known_at: dt.datetime | None = None,
    weighting: Weighting = Weighting.PROPORTIONAL,
) -> dict[str, Any]:
    """The report-v1 JSON object of a domain replay of ``history``."""
    return build_report(history, period, known_at=known_at, weighting=weighting).to_json_dict()


def figure(report: dict[str, Any], programme: str, *path: str) -> Any:
    """A figure of one programme, following ``path`` into the JSON; 0 where it is absent.

    A programme without a referral or an allocation by ``until`` is not in the report:
    its counts are 0, which is what the additive properties need.
    """
    value: Any = report["programmes"].get(programme)
    for key in path:
        if value is None:
            return 0
        value = value.get(key)
    return 0 if value is None else value


def programmes_of(*reports: dict[str, Any]) -> set[str]:
    return {programme for report in reports for programme in report["programmes"]}


@attrs.frozen
class Placement:
    """One journey's placement: from its ``PlacementStarted`` to its exit (None: open)."""

    participant: str
    programme: str
    start: dt.date
    end: dt.date | None

    def is_active_on(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def overlaps(self, period: Period) -> bool:
        return self.start <= period.end and (self.end is None or self.end >= period.start)


def placements(
    history: Iterable[Recorded], until: dt.date, known_at: dt.datetime | None = None
) -> list[Placement]:
    """Every placement a replay up to ``until`` (as known at ``known_at``) sees."""
    programme: dict[str, str] = {}
    started: dict[str, dt.date] = {}
    found: list[Placement] = []
    for recorded in history:
        event, participant = recorded.event, recorded.participant
        if event.date > until or (known_at is not None and recorded.recorded_at > known_at):
            continue
        if participant is None:
            continue
        if isinstance(event, ParticipantReferred):
            programme[participant] = event.programme
        elif isinstance(event, PlacementStarted):
            started[participant] = event.date
        elif isinstance(event, ParticipantExited):
            start = started.pop(participant)
            found.append(Placement(participant, programme[participant], start, event.date))
    found += [Placement(p, programme[p], start, None) for p, start in started.items()]
    return found


def extra_placements_on(found: Iterable[Placement], programme: str, day: dt.date) -> int:
    """Placements active on ``day`` beyond one per participant.

    Only a same-day re-entry makes them: an exit on ``day`` (the exit date is an active
    day) and a new placement in the same programme on that same day.
    """
    per_participant = Counter(
        placement.participant
        for placement in found
        if placement.programme == programme and placement.is_active_on(day)
    )
    return sum(count - 1 for count in per_participant.values())


def has_same_day_reentry(found: Iterable[Placement]) -> bool:
    """Whether any participant has two placements in one programme active on one day."""
    ends = {(p.participant, p.programme, p.end) for p in found if p.end is not None}
    return any((p.participant, p.programme, p.start) in ends for p in found)


@contextmanager
def memory_store(lines: Iterable[str | bytes] = ()) -> Iterator[Orbit]:
    """A fresh in-memory SQLite store, with ``lines`` imported (all must be valid)."""
    with Orbit.open("sqlite://") as orbit:
        lines = list(lines)
        if lines:
            orbit.import_lines(lines)
        yield orbit


def without_fingerprint(report: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in report.items() if key != "fingerprint"}

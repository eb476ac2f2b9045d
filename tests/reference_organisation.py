"""A naive computation of report-v1's ``organisation`` block, straight from the spec.

Like :mod:`reference_report`, independent of ``orbit_domain.projections``: it keeps the
replayed facts by id, forgets a retracted one, then looks at every day of the period to
find what each fact counts for. Staff days are summed as fractions, so the sum is exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from orbit_domain.events import (
    ComplaintReceived,
    FactRetracted,
    ProviderClosed,
    StaffTrainingRecorded,
)
from orbit_domain.history import Recorded


def reference_organisation(
    replayed: Iterable[Recorded], start: dt.date, until: dt.date
) -> dict[str, Any]:
    """The ``organisation`` object of the replayed events (already filtered by the replay)."""
    facts: dict[str, ComplaintReceived | StaffTrainingRecorded | ProviderClosed] = {}
    unnamed: list[ComplaintReceived | StaffTrainingRecorded | ProviderClosed] = []
    for recorded in replayed:
        event = recorded.event
        if isinstance(event, FactRetracted):
            del facts[event.retracts]
        elif isinstance(event, ComplaintReceived | StaffTrainingRecorded | ProviderClosed):
            if recorded.event_id is None:
                unnamed.append(event)
            else:
                facts[recorded.event_id] = event
    counting = [*facts.values(), *unnamed]
    days = [start + dt.timedelta(days=n) for n in range((until - start).days + 1)]

    complaints: dict[str, int] = {}
    training = Fraction(0)
    closures = []
    for fact in counting:
        if isinstance(fact, ComplaintReceived) and fact.date in days:
            key = fact.programme or "none"
            complaints[key] = complaints.get(key, 0) + 1
        elif isinstance(fact, StaffTrainingRecorded) and fact.date in days:
            training += Fraction(fact.days)
        elif isinstance(fact, ProviderClosed):
            closed = [day for day in days if fact.date <= day <= fact.until]
            if closed:
                closures.append((closed[0], closed[-1], fact.programme))
    closures.sort(key=lambda closure: (closure[0], closure[1], closure[2] or ""))
    return {
        "complaints": sum(complaints.values()),
        "complaints_by_programme": dict(sorted(complaints.items())),
        "staff_training_days": float(training),
        "closures": [
            {"from": first.isoformat(), "until": last.isoformat(), "programme": programme}
            for first, last, programme in closures
        ],
    }

"""The organisation's facts in the fold state, and the tally of a period's facts.

The fold keeps every fact that is not retracted, whatever its date, with the id of the
event that registered it: a ``FactRetracted`` names that id, and a retraction is
replayed exactly when its fact is (same date, recorded no earlier), so dropping the
fact when its retraction is folded gives the right answer for every ``until`` and
``known_at``. The tally of a period is what the ``organisation`` block is made of; the
tallies of several organisations merge.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import attrs

from orbit_domain.frozen import frozen_mapping
from orbit_domain.organisation import Closure, OrganisationFigures
from orbit_domain.period import Period
from orbit_domain.projections.tally import exact, exact_to_float


class ComplaintFact(NamedTuple):
    event_id: str | None
    date: dt.date
    programme: str | None


class TrainingFact(NamedTuple):
    event_id: str | None
    date: dt.date
    days: float


class ClosureFact(NamedTuple):
    event_id: str | None
    start: dt.date
    end: dt.date
    programme: str | None


@attrs.frozen
class OrganisationFacts:
    """The facts that count, in store order (retracted ones are gone)."""

    complaints: tuple[ComplaintFact, ...] = ()
    trainings: tuple[TrainingFact, ...] = ()
    closures: tuple[ClosureFact, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.complaints or self.trainings or self.closures)


NO_FACTS = OrganisationFacts()


@attrs.frozen
class OrganisationTally:
    """What the ``organisation`` block of one period is computed from.

    Staff days are an exact sum (see :func:`~orbit_domain.projections.tally.exact`), so
    tallies merged in any order give the same figure to the bit.
    """

    complaints_by_programme: Mapping[str | None, int] = attrs.field(
        factory=dict, converter=frozen_mapping
    )
    training_days: int = 0
    """Exact: a whole number of 2**-1074 dagsverk."""
    closures: tuple[Closure, ...] = ()
    """Clipped to the period, oldest first."""

    def merge(self, other: OrganisationTally) -> OrganisationTally:
        """Complaints and staff days add up. Closures of several organisations are all
        listed, each organisation's as its own entry, oldest first: one provider's
        closure does not close another, and none is lost or merged away."""
        complaints = dict(self.complaints_by_programme)
        for programme, count in other.complaints_by_programme.items():
            complaints[programme] = complaints.get(programme, 0) + count
        return OrganisationTally(
            complaints_by_programme=complaints,
            training_days=self.training_days + other.training_days,
            closures=tuple(sorted((*self.closures, *other.closures))),
        )

    def figures(self) -> OrganisationFigures:
        return OrganisationFigures(
            complaints_by_programme=self.complaints_by_programme,
            staff_training_days=exact_to_float(self.training_days),
            closures=self.closures,
        )


EMPTY_ORGANISATION_TALLY = OrganisationTally()


def organisation_tally(facts: OrganisationFacts, period: Period) -> OrganisationTally:
    """The tally of the facts dated in ``period`` (closures: overlapping it, clipped)."""
    complaints: dict[str | None, int] = {}
    for complaint in facts.complaints:
        if period.start <= complaint.date <= period.end:
            complaints[complaint.programme] = complaints.get(complaint.programme, 0) + 1
    return OrganisationTally(
        complaints_by_programme=complaints,
        training_days=sum(
            exact(t.days) for t in facts.trainings if period.start <= t.date <= period.end
        ),
        closures=tuple(
            sorted(
                Closure(max(c.start, period.start), min(c.end, period.end), c.programme)
                for c in facts.closures
                if c.start <= period.end and c.end >= period.start
            )
        ),
    )


def merge_organisation_tallies(tallies: Iterable[OrganisationTally]) -> OrganisationTally:
    merged = EMPTY_ORGANISATION_TALLY
    for tally in tallies:
        merged = merged.merge(tally)
    return merged

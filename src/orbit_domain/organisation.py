"""The organisation block of a report: complaints, staff training and closures.

These are facts about the company rather than about a participant (events-v1
revision 2). :class:`Closure` is the value other computations read the closed days
from (Nav's payment rule deducts them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs

from orbit_domain.errors import InvalidValueError
from orbit_domain.frozen import frozen_mapping

NO_PROGRAMME = "none"
"""The ``complaints_by_programme`` key of complaints that name no programme."""


@attrs.frozen(order=True)
class Closure:
    """The provider was closed (stengt hos arrangør) from ``start`` to ``end``, both
    included: for ``programme``, or for every programme when it is ``None``.

    Orders oldest first: by ``start``, then ``end``, then programme (every programme
    before a single one).
    """

    start: dt.date
    end: dt.date
    programme: str | None = attrs.field(default=None, order=lambda code: code or "")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidValueError(
                "closure", f"until {self.end.isoformat()} is before {self.start.isoformat()}"
            )

    def closes(self, programme: str) -> bool:
        """Whether the closure applies to ``programme``."""
        return self.programme is None or self.programme == programme

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "from": self.start.isoformat(),
            "until": self.end.isoformat(),
            "programme": self.programme,
        }


@attrs.frozen
class OrganisationFigures:
    """The ``organisation`` object of report-v1 revision 2, for one period."""

    complaints_by_programme: Mapping[str | None, int] = attrs.field(
        factory=dict, converter=frozen_mapping
    )
    """Complaints per programme code (``None``: naming none); only codes with complaints."""
    staff_training_days: float = 0.0
    """Dagsverk of competence development (kompetanseutvikling for ansatte)."""
    closures: tuple[Closure, ...] = ()
    """Clipped to the period, oldest first."""

    @property
    def complaints(self) -> int:
        return sum(self.complaints_by_programme.values())

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "complaints": self.complaints,
            "complaints_by_programme": {
                NO_PROGRAMME if code is None else code: count
                for code, count in sorted(
                    self.complaints_by_programme.items(), key=lambda item: item[0] or NO_PROGRAMME
                )
            },
            "staff_training_days": self.staff_training_days,
            "closures": [closure.to_json_dict() for closure in self.closures],
        }

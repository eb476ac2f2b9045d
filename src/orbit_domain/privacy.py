"""Which fields of an event are personal data, and which form the statistical skeleton.

Every figure of a report is computed from the skeleton alone: type, dates, programme,
percentage, outcome, course code, category and licence, survey name and scores, gender,
seats. The personal fields below identify or describe a person beyond what a statistic
needs; orbit stores them encrypted per participant, and erasing a participant destroys
them while the skeleton, and so every report, stays. docs/privacy.md gives the reason
for each field.
"""

from __future__ import annotations

from collections.abc import Mapping

from orbit_domain.events import (
    Event,
    HospiteringStarted,
    ParticipantExited,
    ParticipantReferred,
    PlacementStarted,
    ReferralWithdrawn,
)

PERSONAL_FIELDS: Mapping[type[Event], frozenset[str]] = {
    ParticipantReferred: frozenset({"birth_year", "municipality", "referred_by"}),
    ReferralWithdrawn: frozenset({"reason"}),
    PlacementStarted: frozenset({"department"}),
    HospiteringStarted: frozenset({"employer"}),
    ParticipantExited: frozenset({"note"}),
}


def personal_fields(event_type: type[Event]) -> frozenset[str]:
    return PERSONAL_FIELDS.get(event_type, frozenset())

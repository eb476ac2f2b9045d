"""Which fields of an event are personal data, and which form the statistical skeleton.

Every figure of a report is computed from the skeleton alone: type, dates, programme,
percentage, outcome, course code, category and licence, survey name and scores, gender,
seats. The personal fields identify or describe a person beyond what a statistic
needs; orbit stores them encrypted per participant, and erasing a participant destroys
them while the skeleton, and so every report, stays. Each event class declares which
of its fields are personal (``wire(..., personal=True)``); docs/privacy.md gives the
reason for each field.
"""

from __future__ import annotations

from collections.abc import Mapping

from orbit_domain.events import DECLARED_FIELDS, Event

PERSONAL_FIELDS: Mapping[type[Event], frozenset[str]] = {
    event_type: frozenset(field.name for field in fields if field.personal)
    for event_type, fields in DECLARED_FIELDS.items()
    if any(field.personal for field in fields)
}


def personal_fields(event_type: type[Event]) -> frozenset[str]:
    return PERSONAL_FIELDS.get(event_type, frozenset())

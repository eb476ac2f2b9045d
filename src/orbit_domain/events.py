"""The facts orbit stores: one immutable value per event type of events-v1.

Events carry their effective ``date`` and their domain data only. Which stream they
belong to, their id and when they were recorded live in the envelope around them
(:class:`orbit_domain.history.Recorded`).

Optional fields the spec gives a default for (``percentage``, ``kind``, ``licence``,
``gender``) are ``None`` when the source did not give them, so that an export writes
back exactly what was imported; the ``effective_*`` properties apply the defaults.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import Any, ClassVar

import attrs

from orbit_domain.errors import InvalidValueError, shown
from orbit_domain.outcomes import Outcome

PROGRAMME_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{1,15}")
FULL_SEAT_PERCENTAGE = 100
MAX_STAFF_TRAINING_DAYS = 100_000
"""The most dagsverk one ``StaffTrainingRecorded`` may give: a year's work of 400 staff,
far beyond any company orbit serves, so that only a typo (an extra zero or five) is refused."""


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class HospiteringKind(enum.StrEnum):
    HOSPITERING = "hospitering"
    PRACTICE = "practice"


def _programme(_: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if PROGRAMME_PATTERN.fullmatch(value) is None:
        raise InvalidValueError(
            attribute.name, f"{shown(value)} is not a programme code ([A-Z][A-Z0-9_]{{1,15}})"
        )


def _optional_programme(_: Any, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is not None and PROGRAMME_PATTERN.fullmatch(value) is None:
        raise InvalidValueError(
            attribute.name, f"{value!r} is not a programme code ([A-Z][A-Z0-9_]{{1,15}})"
        )


def _percentage(_: Any, attribute: attrs.Attribute[Any], value: int | None) -> None:
    if value is not None and not 1 <= value <= FULL_SEAT_PERCENTAGE:
        raise InvalidValueError(attribute.name, f"must be 1-100, not {shown(value)}")


def _positive(_: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not value > 0:
        raise InvalidValueError(attribute.name, f"must be greater than 0, not {shown(value)}")


def _non_empty(_: Any, attribute: attrs.Attribute[str], value: str) -> None:
    if not value:
        raise InvalidValueError(attribute.name, "must not be empty")


@attrs.frozen
class ParticipantReferred:
    """Intake: a referral (from Nav or another body) to a programme opens a journey."""

    TYPE: ClassVar[str] = "ParticipantReferred"
    date: dt.date
    programme: str = attrs.field(validator=_programme)
    gender: Gender | None = None
    birth_year: int | None = None
    municipality: str | None = None
    referred_by: str | None = None

    @property
    def effective_gender(self) -> Gender:
        return self.gender or Gender.UNKNOWN


@attrs.frozen
class Waitlisted:
    TYPE: ClassVar[str] = "Waitlisted"
    date: dt.date


@attrs.frozen
class ReferralWithdrawn:
    """The referral ends before a placement started."""

    TYPE: ClassVar[str] = "ReferralWithdrawn"
    date: dt.date
    reason: str | None = None


@attrs.frozen
class PlacementStarted:
    TYPE: ClassVar[str] = "PlacementStarted"
    date: dt.date
    percentage: int | None = attrs.field(default=None, validator=_percentage)
    department: str | None = None

    @property
    def effective_percentage(self) -> int:
        return FULL_SEAT_PERCENTAGE if self.percentage is None else self.percentage


@attrs.frozen
class PercentageChanged:
    TYPE: ClassVar[str] = "PercentageChanged"
    date: dt.date
    percentage: int = attrs.field(validator=_percentage)


@attrs.frozen
class HospiteringStarted:
    """A period in an ordinary workplace: VTA hospitering or AFT external practice."""

    TYPE: ClassVar[str] = "HospiteringStarted"
    date: dt.date
    employer: str | None = None
    kind: HospiteringKind | None = None

    @property
    def effective_kind(self) -> HospiteringKind:
        return self.kind or HospiteringKind.HOSPITERING


@attrs.frozen
class HospiteringEnded:
    TYPE: ClassVar[str] = "HospiteringEnded"
    date: dt.date


@attrs.frozen
class CourseStarted:
    TYPE: ClassVar[str] = "CourseStarted"
    date: dt.date
    course: str = attrs.field(validator=_non_empty)
    category: str | None = None
    licence: bool | None = None

    @property
    def uses_licence(self) -> bool:
        return bool(self.licence)


@attrs.frozen
class CourseCompleted:
    TYPE: ClassVar[str] = "CourseCompleted"
    date: dt.date
    course: str = attrs.field(validator=_non_empty)


@attrs.frozen
class SurveyAnswered:
    TYPE: ClassVar[str] = "SurveyAnswered"
    date: dt.date
    survey: str = attrs.field(validator=_non_empty)
    score: float
    scale_max: float = attrs.field(validator=_positive)

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.score <= self.scale_max:
            raise InvalidValueError("score", f"must be between 0 and scale_max ({self.scale_max})")


@attrs.frozen
class ParticipantExited:
    """The placement ends; the exit date is the participant's last active day."""

    TYPE: ClassVar[str] = "ParticipantExited"
    date: dt.date
    outcome: Outcome
    note: str | None = None


@attrs.frozen
class ExitCorrected:
    """Replaces the outcome of the exit dated ``date``, from the time it was recorded on."""

    TYPE: ClassVar[str] = "ExitCorrected"
    date: dt.date
    outcome: Outcome


@attrs.frozen
class SeatsAllocated:
    """From ``date`` on, the programme's allocated seats (tildelte rammer) are ``seats``."""

    TYPE: ClassVar[str] = "SeatsAllocated"
    date: dt.date
    programme: str = attrs.field(validator=_programme)
    seats: float = attrs.field(validator=_positive)


@attrs.frozen
class ComplaintReceived:
    """The company received one formal complaint (klage) on ``date``.

    No free text: a complaint's content is personal and stays in the case system.
    """

    TYPE: ClassVar[str] = "ComplaintReceived"
    date: dt.date
    programme: str | None = attrs.field(default=None, validator=_optional_programme)
    category: str | None = None


def _training_days(_: Any, attribute: attrs.Attribute[float], value: float) -> None:
    if not 0 < value <= MAX_STAFF_TRAINING_DAYS:
        raise InvalidValueError(
            attribute.name,
            f"must be greater than 0 and at most {MAX_STAFF_TRAINING_DAYS} (dagsverk), not {value}",
        )


@attrs.frozen
class StaffTrainingRecorded:
    """Staff spent ``days`` working days (dagsverk) on competence development, on or
    ending at ``date``. ``topic`` is free text and never appears in a message."""

    TYPE: ClassVar[str] = "StaffTrainingRecorded"
    date: dt.date
    days: float = attrs.field(validator=_training_days)
    topic: str | None = None


@attrs.frozen
class ProviderClosed:
    """The provider was closed (stengt hos arrangør) from ``date`` to ``until``, both
    included; for one programme, or every programme when ``programme`` is absent."""

    TYPE: ClassVar[str] = "ProviderClosed"
    date: dt.date
    until: dt.date
    programme: str | None = attrs.field(default=None, validator=_optional_programme)

    def __attrs_post_init__(self) -> None:
        if self.until < self.date:
            raise InvalidValueError(
                "until", f"must be on or after the date {self.date.isoformat()}"
            )


@attrs.frozen
class FactRetracted:
    """The organisation fact with id ``retracts`` was registered in error.

    Dated at the fact it retracts, as ``ExitCorrected`` is dated at its exit: the fact
    stops counting from this event's ``recorded_at`` on.
    """

    TYPE: ClassVar[str] = "FactRetracted"
    date: dt.date
    retracts: str = attrs.field(validator=_non_empty)


ParticipantEvent = (
    ParticipantReferred
    | Waitlisted
    | ReferralWithdrawn
    | PlacementStarted
    | PercentageChanged
    | HospiteringStarted
    | HospiteringEnded
    | CourseStarted
    | CourseCompleted
    | SurveyAnswered
    | ParticipantExited
    | ExitCorrected
)
OrganisationFact = ComplaintReceived | StaffTrainingRecorded | ProviderClosed
"""The organisation events a ``FactRetracted`` may retract."""
OrganisationEvent = SeatsAllocated | OrganisationFact | FactRetracted
Event = ParticipantEvent | OrganisationEvent

PARTICIPANT_EVENT_TYPES: tuple[type[ParticipantEvent], ...] = (
    ParticipantReferred,
    Waitlisted,
    ReferralWithdrawn,
    PlacementStarted,
    PercentageChanged,
    HospiteringStarted,
    HospiteringEnded,
    CourseStarted,
    CourseCompleted,
    SurveyAnswered,
    ParticipantExited,
    ExitCorrected,
)
# Fixed-length tuples (not annotated as tuple[type[...], ...]) so that mypy narrows
# ``isinstance(event, ORGANISATION_EVENT_TYPES)`` both ways.
ORGANISATION_FACT_TYPES = (ComplaintReceived, StaffTrainingRecorded, ProviderClosed)
ORGANISATION_EVENT_TYPES = (
    SeatsAllocated,
    ComplaintReceived,
    StaffTrainingRecorded,
    ProviderClosed,
    FactRetracted,
)
EVENT_TYPES: dict[str, type[Event]] = {
    cls.TYPE: cls for cls in (*PARTICIPANT_EVENT_TYPES, *ORGANISATION_EVENT_TYPES)
}

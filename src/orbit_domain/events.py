"""The facts orbit stores: one immutable value per event type of events-v1.

Events carry their effective ``date`` and their domain data only. Which stream they
belong to, their id and when they were recorded live in the envelope around them
(:class:`orbit_domain.history.Recorded`).

Each field but ``date`` declares, in its attrs metadata (``wire(...)``, see
:mod:`orbit_domain.declaration`), what events-v1 holds there, its default and bounds and
whether it is personal: the codec, the privacy split and the store's row fold derive
their view of the event from that declaration (``DECLARED_FIELDS``).

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

from orbit_domain.declaration import FieldDeclaration, ValueKind, declared_fields, wire
from orbit_domain.errors import InvalidValueError, shown
from orbit_domain.outcomes import Outcome

PROGRAMME_PATTERN = re.compile(r"[A-Z][A-Z0-9_]{1,15}")
FULL_SEAT_PERCENTAGE = 100
MAX_STAFF_TRAINING_DAYS = 100_000
"""The most dagsverk one ``StaffTrainingRecorded`` may give: a year's work of 400 staff,
far beyond any company orbit serves, so that only a typo (an extra zero or five) is refused."""

# The bounds an import checks each new event against (``at_least``/``at_most`` in the
# declarations below): well above any real value, and far below where sums of them in a
# report could leave the float range. docs/events.md lists them all.
MOST_SEATS = 100_000
SMALLEST_SEATS = 0.01
"""A hundredth of a seat: utilisation divides by the seats, and a float near zero
would make it infinite."""
MOST_SCALE_MAX = 1_000
EARLIEST_BIRTH_YEAR = 1900


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class HospiteringKind(enum.StrEnum):
    HOSPITERING = "hospitering"
    PRACTICE = "practice"


DEFAULT_GENDER = Gender.UNKNOWN
DEFAULT_HOSPITERING_KIND = HospiteringKind.HOSPITERING


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
    programme: str = attrs.field(validator=_programme, metadata=wire(ValueKind.CODE))
    gender: Gender | None = attrs.field(default=None, metadata=wire(Gender, default=DEFAULT_GENDER))
    birth_year: int | None = attrs.field(
        default=None,
        metadata=wire(
            ValueKind.INTEGER,
            at_least=EARLIEST_BIRTH_YEAR,
            at_most_event_year=True,
            personal=True,
        ),
    )
    municipality: str | None = attrs.field(
        default=None, metadata=wire(ValueKind.TEXT, personal=True)
    )
    referred_by: str | None = attrs.field(
        default=None, metadata=wire(ValueKind.TEXT, personal=True)
    )

    @property
    def effective_gender(self) -> Gender:
        return self.gender or DEFAULT_GENDER


@attrs.frozen
class Waitlisted:
    TYPE: ClassVar[str] = "Waitlisted"
    date: dt.date


@attrs.frozen
class ReferralWithdrawn:
    """The referral ends before a placement started."""

    TYPE: ClassVar[str] = "ReferralWithdrawn"
    date: dt.date
    reason: str | None = attrs.field(default=None, metadata=wire(ValueKind.TEXT, personal=True))


@attrs.frozen
class PlacementStarted:
    TYPE: ClassVar[str] = "PlacementStarted"
    date: dt.date
    percentage: int | None = attrs.field(
        default=None,
        validator=_percentage,
        metadata=wire(ValueKind.INTEGER, default=FULL_SEAT_PERCENTAGE),
    )
    department: str | None = attrs.field(default=None, metadata=wire(ValueKind.TEXT, personal=True))

    @property
    def effective_percentage(self) -> int:
        return FULL_SEAT_PERCENTAGE if self.percentage is None else self.percentage


@attrs.frozen
class PercentageChanged:
    TYPE: ClassVar[str] = "PercentageChanged"
    date: dt.date
    percentage: int = attrs.field(validator=_percentage, metadata=wire(ValueKind.INTEGER))


@attrs.frozen
class HospiteringStarted:
    """A period in an ordinary workplace: VTA hospitering or AFT external practice."""

    TYPE: ClassVar[str] = "HospiteringStarted"
    date: dt.date
    employer: str | None = attrs.field(default=None, metadata=wire(ValueKind.TEXT, personal=True))
    kind: HospiteringKind | None = attrs.field(
        default=None, metadata=wire(HospiteringKind, default=DEFAULT_HOSPITERING_KIND)
    )

    @property
    def effective_kind(self) -> HospiteringKind:
        return self.kind or DEFAULT_HOSPITERING_KIND


@attrs.frozen
class HospiteringEnded:
    TYPE: ClassVar[str] = "HospiteringEnded"
    date: dt.date


@attrs.frozen
class CourseStarted:
    TYPE: ClassVar[str] = "CourseStarted"
    date: dt.date
    course: str = attrs.field(validator=_non_empty, metadata=wire(ValueKind.CODE))
    category: str | None = attrs.field(default=None, metadata=wire(ValueKind.TEXT))
    licence: bool | None = attrs.field(
        default=None, metadata=wire(ValueKind.BOOLEAN, default=False)
    )

    @property
    def uses_licence(self) -> bool:
        return bool(self.licence)


@attrs.frozen
class CourseCompleted:
    TYPE: ClassVar[str] = "CourseCompleted"
    date: dt.date
    course: str = attrs.field(validator=_non_empty, metadata=wire(ValueKind.CODE))


@attrs.frozen
class SurveyAnswered:
    TYPE: ClassVar[str] = "SurveyAnswered"
    date: dt.date
    survey: str = attrs.field(validator=_non_empty, metadata=wire(ValueKind.CODE))
    score: float = attrs.field(metadata=wire(ValueKind.NUMBER))
    scale_max: float = attrs.field(
        validator=_positive, metadata=wire(ValueKind.NUMBER, at_most=MOST_SCALE_MAX)
    )

    def __attrs_post_init__(self) -> None:
        if not 0 <= self.score <= self.scale_max:
            raise InvalidValueError("score", f"must be between 0 and scale_max ({self.scale_max})")


@attrs.frozen
class ParticipantExited:
    """The placement ends; the exit date is the participant's last active day."""

    TYPE: ClassVar[str] = "ParticipantExited"
    date: dt.date
    outcome: Outcome = attrs.field(metadata=wire(Outcome))
    note: str | None = attrs.field(default=None, metadata=wire(ValueKind.TEXT, personal=True))


@attrs.frozen
class ExitCorrected:
    """Replaces the outcome of the exit dated ``date``, from the time it was recorded on."""

    TYPE: ClassVar[str] = "ExitCorrected"
    date: dt.date
    outcome: Outcome = attrs.field(metadata=wire(Outcome))


@attrs.frozen
class SeatsAllocated:
    """From ``date`` on, the programme's allocated seats (tildelte rammer) are ``seats``."""

    TYPE: ClassVar[str] = "SeatsAllocated"
    date: dt.date
    programme: str = attrs.field(validator=_programme, metadata=wire(ValueKind.CODE))
    seats: float = attrs.field(
        validator=_positive,
        metadata=wire(ValueKind.NUMBER, at_least=SMALLEST_SEATS, at_most=MOST_SEATS),
    )


@attrs.frozen
class ComplaintReceived:
    """The company received one formal complaint (klage) on ``date``.

    No free text: a complaint's content is personal and stays in the case system.
    """

    TYPE: ClassVar[str] = "ComplaintReceived"
    date: dt.date
    programme: str | None = attrs.field(
        default=None, validator=_optional_programme, metadata=wire(ValueKind.CODE)
    )
    category: str | None = attrs.field(default=None, metadata=wire(ValueKind.CODE))


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
    days: float = attrs.field(
        validator=_training_days,
        metadata=wire(ValueKind.NUMBER, at_most=MAX_STAFF_TRAINING_DAYS),
    )
    topic: str | None = attrs.field(default=None, metadata=wire(ValueKind.TEXT))
    """Free text, but not a person's: like a personal field, never shown in a message."""


@attrs.frozen
class ProviderClosed:
    """The provider was closed (stengt hos arrangør) from ``date`` to ``until``, both
    included; for one programme, or every programme when ``programme`` is absent."""

    TYPE: ClassVar[str] = "ProviderClosed"
    date: dt.date
    until: dt.date = attrs.field(metadata=wire(ValueKind.DATE))
    programme: str | None = attrs.field(
        default=None, validator=_optional_programme, metadata=wire(ValueKind.CODE)
    )

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
    retracts: str = attrs.field(validator=_non_empty, metadata=wire(ValueKind.EVENT_ID))


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
DECLARED_FIELDS: dict[type[Event], tuple[FieldDeclaration, ...]] = {
    event_type: declared_fields(event_type) for event_type in EVENT_TYPES.values()
}
"""Each event type's fields but ``date``, as its class declares them
(:mod:`orbit_domain.declaration`): the one place an event's fields are spelled out."""

"""Fold stored rows into the timelines without making an event of each row.

Replay is orbit's hottest loop. Turning each row back into a domain event runs the
events-v1 checks again on data that passed them when it was imported, and cost about a
third of a cold replay (docs/performance.md). Here each stored type has one small
function that reads, from the row's canonical ``data``, the values the timelines keep
and hands them to :class:`TimelinesBuilder`, applying the defaults the event classes
declare (``DECLARED_FIELDS``, read once at import), as the events' ``effective_*``
properties do. The property tests fold the same events both ways and require the same
state; tests/adapters/test_event_declarations.py checks every type, with and without
each optional field.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from orbit_adapters.read_model.enum_values import GENDERS, HOSPITERING_KINDS, OUTCOMES
from orbit_adapters.store.engine import StoreError
from orbit_adapters.store.rows import ReplayRow
from orbit_domain.events import (
    DECLARED_FIELDS,
    ComplaintReceived,
    CourseCompleted,
    CourseStarted,
    Event,
    ExitCorrected,
    FactRetracted,
    Gender,
    HospiteringEnded,
    HospiteringStarted,
    ParticipantExited,
    ParticipantReferred,
    PercentageChanged,
    PlacementStarted,
    ProviderClosed,
    ReferralWithdrawn,
    SeatsAllocated,
    StaffTrainingRecorded,
    SurveyAnswered,
    Waitlisted,
)
from orbit_domain.projections import TimelinesBuilder


class UnknownStoredTypeError(StoreError):
    """A stored row has a type this orbit does not know: a newer orbit wrote the store.

    A ``StoreError``, so that the command line says so in one line."""


_Apply = Callable[[TimelinesBuilder, str, dt.date, str], None]
_ApplyFact = Callable[[TimelinesBuilder, str, dt.date, str], None]
"""Like ``_Apply``, but given the event's id rather than its stream: a retraction
names the fact by id."""

_decode = json.JSONDecoder().raw_decode


def _loads(data: str) -> Any:
    """``json.loads`` of canonical JSON, three times faster: a stored row's ``data`` is
    one compact object with nothing around it, so ``loads``' own checks are not needed."""
    return _decode(data)[0]


_V = TypeVar("_V")

MEMO_LIMIT = 4096
"""Distinct texts a memo keeps before it starts again: a few hundred in any store seen so
far, and a store of all-distinct texts then costs what a parse per row costs, no more."""


class _Memo(dict[str, _V]):
    """``make(text)`` by ``text``, each text made once.

    A store repeats few distinct dates and ``data`` texts (a programme and a gender, a
    course, a survey's score on its scale: about 300 in 100,000 rows), so a row's values
    are found by one lookup instead of parsed again. What is kept is immutable and
    depends on its text alone, so the memos are shared by every fold in the process,
    threads included: a race can only make a value twice.
    """

    def __init__(self, make: Callable[[str], _V]) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, text: str) -> _V:
        if len(self) >= MEMO_LIMIT:
            self.clear()
        value = self[text] = self._make(text)
        return value


def _wire_defaults(event_type: type[Event]) -> dict[str, Any]:
    """The declared defaults of an event type's fields, as stored ``data`` would hold them."""
    return {
        field.name: field.default.value if isinstance(field.default, enum.Enum) else field.default
        for field in DECLARED_FIELDS[event_type]
        if field.default is not None
    }


# Read once, at import: the fold below runs per row and must not look anything up.
_REFERRAL_GENDER = _wire_defaults(ParticipantReferred)["gender"]
_PLACEMENT_PERCENTAGE = _wire_defaults(PlacementStarted)["percentage"]
_HOSPITERING_KIND = _wire_defaults(HospiteringStarted)["kind"]
_COURSE_LICENCE = _wire_defaults(CourseStarted)["licence"]

_DAYS_BY_TEXT = _Memo(dt.date.fromisoformat)


def fold_rows(builder: TimelinesBuilder, rows: Iterable[ReplayRow]) -> None:
    """Fold ``rows`` (already filtered by the replay) in store order."""
    days = _DAYS_BY_TEXT
    apply_for = _APPLY.get
    folded = 0
    for _, stream, event_id, event_type, date, _, data in rows:
        apply = apply_for(event_type)
        if apply is not None:
            apply(builder, stream, days[date], data)
        else:
            _apply_fact(builder, event_type, event_id, days[date], data)
        folded += 1
    builder.events_folded += folded


# What each type's fold reads from ``data``, by its text.


def _referral(data: str) -> tuple[str, Gender]:
    fields = _loads(data)
    return fields["programme"], GENDERS[fields.get("gender", _REFERRAL_GENDER)]


def _course_start(data: str) -> tuple[str, str | None, bool]:
    fields = _loads(data)
    return fields["course"], fields.get("category"), fields.get("licence", _COURSE_LICENCE)


def _survey_answer(data: str) -> tuple[str, float, float]:
    fields = _loads(data)
    return fields["survey"], fields["score"], fields["scale_max"]


_REFERRALS_BY_DATA = _Memo(_referral)
_PLACEMENT_PERCENTAGES_BY_DATA: _Memo[int] = _Memo(
    lambda data: _loads(data).get("percentage", _PLACEMENT_PERCENTAGE)
)
_PERCENTAGES_BY_DATA: _Memo[int] = _Memo(lambda data: _loads(data)["percentage"])
_HOSPITERING_KINDS_BY_DATA = _Memo(
    lambda data: HOSPITERING_KINDS[_loads(data).get("kind", _HOSPITERING_KIND)]
)
_COURSE_STARTS_BY_DATA = _Memo(_course_start)
_COURSES_BY_DATA: _Memo[str] = _Memo(lambda data: _loads(data)["course"])
_SURVEY_ANSWERS_BY_DATA = _Memo(_survey_answer)
_OUTCOMES_BY_DATA = _Memo(lambda data: OUTCOMES[_loads(data)["outcome"]])


def _referred(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    programme, gender = _REFERRALS_BY_DATA[data]
    builder.referred(stream, day, programme, gender)


def _waitlisted(builder: TimelinesBuilder, stream: str, day: dt.date, _: str) -> None:
    builder.waitlisted(stream, day)


def _withdrawn(builder: TimelinesBuilder, stream: str, day: dt.date, _: str) -> None:
    builder.withdrawn(stream, day)


def _placed(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    builder.placed(stream, day, _PLACEMENT_PERCENTAGES_BY_DATA[data])


def _percentage_changed(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    builder.percentage_changed(stream, day, _PERCENTAGES_BY_DATA[data])


def _hospitering_started(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    builder.hospitering_started(stream, day, _HOSPITERING_KINDS_BY_DATA[data])


def _hospitering_ended(builder: TimelinesBuilder, stream: str, day: dt.date, _: str) -> None:
    builder.hospitering_ended(stream, day)


def _course_started(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    course, category, uses_licence = _COURSE_STARTS_BY_DATA[data]
    builder.course_started(stream, day, course, category, uses_licence)


def _course_completed(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    builder.course_completed(stream, day, _COURSES_BY_DATA[data])


def _survey_answered(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    survey, score, scale_max = _SURVEY_ANSWERS_BY_DATA[data]
    builder.survey_answered(stream, day, survey, score, scale_max)


def _exited(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    builder.exited(stream, day, _OUTCOMES_BY_DATA[data])


def _exit_corrected(builder: TimelinesBuilder, stream: str, day: dt.date, data: str) -> None:
    builder.exit_corrected(stream, day, _OUTCOMES_BY_DATA[data])


def _seats_allocated(builder: TimelinesBuilder, _: str, day: dt.date, data: str) -> None:
    fields = _loads(data)
    builder.seats_allocated(SeatsAllocated(day, fields["programme"], fields["seats"]))


_APPLY: dict[str, _Apply] = {
    ParticipantReferred.TYPE: _referred,
    Waitlisted.TYPE: _waitlisted,
    ReferralWithdrawn.TYPE: _withdrawn,
    PlacementStarted.TYPE: _placed,
    PercentageChanged.TYPE: _percentage_changed,
    HospiteringStarted.TYPE: _hospitering_started,
    HospiteringEnded.TYPE: _hospitering_ended,
    CourseStarted.TYPE: _course_started,
    CourseCompleted.TYPE: _course_completed,
    SurveyAnswered.TYPE: _survey_answered,
    ParticipantExited.TYPE: _exited,
    ExitCorrected.TYPE: _exit_corrected,
    SeatsAllocated.TYPE: _seats_allocated,
}


# Organisation facts (events-v1 revision 2): rare, so looked up only when a row is not
# one of the types above.


def _complaint_received(builder: TimelinesBuilder, event_id: str, day: dt.date, data: str) -> None:
    builder.complaint_received(event_id, day, _loads(data).get("programme"))


def _staff_training_recorded(
    builder: TimelinesBuilder, event_id: str, day: dt.date, data: str
) -> None:
    builder.staff_training_recorded(event_id, day, _loads(data)["days"])


def _provider_closed(builder: TimelinesBuilder, event_id: str, day: dt.date, data: str) -> None:
    fields = _loads(data)
    builder.provider_closed(event_id, day, _DAYS_BY_TEXT[fields["until"]], fields.get("programme"))


def _fact_retracted(builder: TimelinesBuilder, _: str, __: dt.date, data: str) -> None:
    builder.fact_retracted(_loads(data)["retracts"])


_APPLY_FACT: dict[str, _ApplyFact] = {
    ComplaintReceived.TYPE: _complaint_received,
    StaffTrainingRecorded.TYPE: _staff_training_recorded,
    ProviderClosed.TYPE: _provider_closed,
    FactRetracted.TYPE: _fact_retracted,
}


def _apply_fact(
    builder: TimelinesBuilder, event_type: str, event_id: str, day: dt.date, data: str
) -> None:
    apply_fact = _APPLY_FACT.get(event_type)
    if apply_fact is None:
        raise UnknownStoredTypeError(
            f"the store holds events of type {event_type!r}, which this orbit does "
            "not know: a newer orbit wrote them, so upgrade orbit to read this store"
        )
    apply_fact(builder, event_id, day, data)


FOLDED_TYPES = frozenset(_APPLY) | frozenset(_APPLY_FACT)
"""Every type the row fold handles: all of ``EVENT_TYPES`` (a test holds it to that)."""

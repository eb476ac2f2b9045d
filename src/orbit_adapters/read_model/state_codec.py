"""The fold state (``Timelines``) as compact bytes, and back.

JSON, compressed, rather than pickle: a checkpoint is read from the database, and
unpickling what a database holds would run whatever code it names. Dates are day
ordinals; a format tag lets a later orbit recognise, and rebuild, an older checkpoint.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from orbit_adapters.read_model.enum_values import GENDERS, HOSPITERING_KINDS, OUTCOMES
from orbit_domain.events import SeatsAllocated
from orbit_domain.projections import (
    CourseCompletion,
    CourseStart,
    Exit,
    HospiteringSpan,
    JourneyTimeline,
    PercentageFrom,
    SurveyAnswer,
    Timelines,
)
from orbit_domain.projections.organisation import (
    ClosureFact,
    ComplaintFact,
    OrganisationFacts,
    TrainingFact,
)

STATE_FORMAT = "orbit-timelines/3"
"""3: the organisation facts of events-v1 revision 2 (``facts``). A checkpoint of an
earlier format lacks them, so it is not read but rebuilt."""


class StateFormatError(Exception):
    """The bytes are not a checkpoint this orbit can read."""


def encode_state(timelines: Timelines) -> bytes:
    document = {
        "format": STATE_FORMAT,
        "events_folded": timelines.events_folded,
        "journeys": {
            participant: [_journey(j) for j in journeys]
            for participant, journeys in timelines.journeys.items()
        },
        "allocations": {
            stream: [[a.date.toordinal(), a.programme, a.seats] for a in allocations]
            for stream, allocations in timelines.allocations.items()
        },
        "facts": _facts(timelines.facts),
    }
    return zlib.compress(json.dumps(document, separators=(",", ":")).encode(), 1)


def decode_state(blob: bytes) -> Timelines:
    try:
        document = json.loads(zlib.decompress(blob))
        if document.get("format") != STATE_FORMAT:
            raise StateFormatError(f"checkpoint format {document.get('format')!r}")
        return Timelines(
            journeys={
                participant: tuple(_timeline(participant, j) for j in journeys)
                for participant, journeys in document["journeys"].items()
            },
            allocations={
                stream: tuple(
                    SeatsAllocated(_day(day), programme, seats)
                    for day, programme, seats in allocations
                )
                for stream, allocations in document["allocations"].items()
            },
            events_folded=document["events_folded"],
            facts=_organisation_facts(document["facts"]),
        )
    except StateFormatError:
        raise
    except (zlib.error, ValueError, KeyError, TypeError, IndexError) as error:
        raise StateFormatError(f"unreadable checkpoint: {error}") from None


def _facts(facts: OrganisationFacts) -> dict[str, Any]:
    return {
        "complaints": [[c.event_id, c.date.toordinal(), c.programme] for c in facts.complaints],
        "trainings": [[t.event_id, t.date.toordinal(), t.days] for t in facts.trainings],
        "closures": [
            [c.event_id, c.start.toordinal(), c.end.toordinal(), c.programme]
            for c in facts.closures
        ],
    }


def _organisation_facts(fields: dict[str, Any]) -> OrganisationFacts:
    return OrganisationFacts(
        complaints=tuple(
            ComplaintFact(event_id, _day(day), programme)
            for event_id, day, programme in fields["complaints"]
        ),
        trainings=tuple(
            TrainingFact(event_id, _day(day), days) for event_id, day, days in fields["trainings"]
        ),
        closures=tuple(
            ClosureFact(event_id, _day(start), _day(end), programme)
            for event_id, start, end, programme in fields["closures"]
        ),
    )


def _journey(j: JourneyTimeline) -> list[Any]:
    return [
        j.programme,
        j.gender.value,
        j.referred_on.toordinal(),
        _ordinal(j.waitlisted_on),
        _ordinal(j.withdrawn_on),
        _ordinal(j.placed_on),
        [[p.start.toordinal(), p.percentage] for p in j.percentages],
        [[h.start.toordinal(), h.kind.value, _ordinal(h.end)] for h in j.hospiterings],
        [[c.date.toordinal(), c.course, c.category, c.uses_licence] for c in j.course_starts],
        [[c.date.toordinal(), c.course] for c in j.course_completions],
        [[s.date.toordinal(), s.survey, s.score, s.scale_max] for s in j.survey_answers],
        None if j.exit is None else [j.exit.date.toordinal(), j.exit.outcome.value],
    ]


def _timeline(participant: str, fields: list[Any]) -> JourneyTimeline:
    (
        programme,
        gender,
        referred_on,
        waitlisted_on,
        withdrawn_on,
        placed_on,
        percentages,
        hospiterings,
        course_starts,
        course_completions,
        survey_answers,
        exit_,
    ) = fields
    day = _day
    return JourneyTimeline(
        participant,
        programme,
        GENDERS[gender],
        day(referred_on),
        _optional_day(waitlisted_on),
        _optional_day(withdrawn_on),
        _optional_day(placed_on),
        tuple([PercentageFrom(day(d), pct) for d, pct in percentages]),
        tuple(
            [
                HospiteringSpan(day(d), HOSPITERING_KINDS[kind], _optional_day(end))
                for d, kind, end in hospiterings
            ]
        ),
        tuple([CourseStart(day(d), c, cat, lic) for d, c, cat, lic in course_starts]),
        tuple([CourseCompletion(day(d), c) for d, c in course_completions]),
        tuple([SurveyAnswer(day(d), s, score, top) for d, s, score, top in survey_answers]),
        None if exit_ is None else Exit(day(exit_[0]), OUTCOMES[exit_[1]]),
    )


def _ordinal(day: dt.date | None) -> int | None:
    return None if day is None else day.toordinal()


_DAYS: dict[int, dt.date] = {}


def _day(ordinal: int) -> dt.date:
    day = _DAYS.get(ordinal)
    if day is None:
        day = _DAYS[ordinal] = dt.date.fromordinal(ordinal)
    return day


def _optional_day(ordinal: int | None) -> dt.date | None:
    return None if ordinal is None else _day(ordinal)

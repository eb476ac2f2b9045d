"""The fold state (``Timelines``) as compact bytes, and back.

Columns of integers and a JSON header, compressed, rather than pickle: a checkpoint is
read from the database, and unpickling what a database holds would run whatever code it
names. Column-wise, because a state holds hundreds of thousands of small records: one
array per field encodes and decodes in C, where JSON lists per journey cost a parse
and a list per record (docs/performance.md). A format tag lets a later orbit
recognise, and rebuild, an older checkpoint.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sys
import zlib
from array import array
from collections.abc import Iterator
from typing import Any

from orbit_adapters.read_model.enum_values import GENDERS, HOSPITERING_KINDS, OUTCOMES
from orbit_domain.events import Gender, HospiteringKind, SeatsAllocated
from orbit_domain.outcomes import Outcome
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

STATE_FORMAT = "orbit-timelines/4"
"""4: columnar (see the module). 3 added the organisation facts of events-v1 revision 2.
A checkpoint of an earlier format is not read but rebuilt."""


class StateFormatError(Exception):
    """The bytes are not a checkpoint this orbit can read."""


_MAGIC = b"orbit-timelines/4\n"
_INT = "i"  # C int: 4 bytes on every platform orbit runs on (checked on decoding)
_NONE = 0  # no day: day ordinals start at 1
_NO_TEXT = -1  # no text (a course without a category)
_COLUMNS = (
    # one entry per participant
    "journeys",
    # one entry per journey
    "programme",
    "gender",
    "referred_on",
    "waitlisted_on",
    "withdrawn_on",
    "placed_on",
    "percentages",
    "hospiterings",
    "course_starts",
    "course_completions",
    "survey_answers",
    "exit_on",
    "exit_outcome",
    # one entry per record of the journeys, journey by journey
    "percentage_start",
    "hospitering_start",
    "hospitering_kind",
    "hospitering_end",
    "course_start_on",
    "course_start_course",
    "course_start_category",
    "course_start_licence",
    "course_completion_on",
    "course_completion_course",
    "survey_on",
    "survey",
)


def encode_state(timelines: Timelines) -> bytes:
    """The state in columns: after a magic line, a JSON header (format, participants,
    strings, the numbers that are not whole numbers by construction, allocations,
    organisation facts), then one array of C ints per column of :data:`_COLUMNS`,
    little-endian, all compressed.

    Each participant has a count of journeys; every journey is a row of the next
    columns; its records (percentages, hospiterings, courses, surveys) are rows of the
    others, in journey order, and the per-journey counts say how many are whose. Dates
    are day ordinals, texts and enum values indexes into the strings. Percentages,
    scores and scale maxima stay JSON numbers, so an integer comes back an integer and
    a float the same float.
    """
    strings: dict[str, int] = {}
    text = strings.setdefault  # text(s, len(strings)): the index of s, new or not
    genders = {member: text(member.value, len(strings)) for member in Gender}
    kinds = {member: text(member.value, len(strings)) for member in HospiteringKind}
    outcomes = {member: text(member.value, len(strings)) for member in Outcome}
    journeys = [j for js in timelines.journeys.values() for j in js]
    percentages = [p for j in journeys for p in j.percentages]
    hospiterings = [h for j in journeys for h in j.hospiterings]
    starts = [c for j in journeys for c in j.course_starts]
    completions = [c for j in journeys for c in j.course_completions]
    answers = [a for j in journeys for a in j.survey_answers]
    columns: dict[str, list[int]] = {
        "journeys": [len(js) for js in timelines.journeys.values()],
        "programme": [text(j.programme, len(strings)) for j in journeys],
        "gender": [genders[j.gender] for j in journeys],
        "referred_on": [j.referred_on.toordinal() for j in journeys],
        "waitlisted_on": [_ordinal(j.waitlisted_on) for j in journeys],
        "withdrawn_on": [_ordinal(j.withdrawn_on) for j in journeys],
        "placed_on": [_ordinal(j.placed_on) for j in journeys],
        "percentages": [len(j.percentages) for j in journeys],
        "hospiterings": [len(j.hospiterings) for j in journeys],
        "course_starts": [len(j.course_starts) for j in journeys],
        "course_completions": [len(j.course_completions) for j in journeys],
        "survey_answers": [len(j.survey_answers) for j in journeys],
        "exit_on": [_NONE if j.exit is None else j.exit.date.toordinal() for j in journeys],
        "exit_outcome": [
            _NO_TEXT if j.exit is None else outcomes[j.exit.outcome] for j in journeys
        ],
        "percentage_start": [p.start.toordinal() for p in percentages],
        "hospitering_start": [h.start.toordinal() for h in hospiterings],
        "hospitering_kind": [kinds[h.kind] for h in hospiterings],
        "hospitering_end": [_ordinal(h.end) for h in hospiterings],
        "course_start_on": [c.date.toordinal() for c in starts],
        "course_start_course": [text(c.course, len(strings)) for c in starts],
        "course_start_category": [
            _NO_TEXT if c.category is None else text(c.category, len(strings)) for c in starts
        ],
        "course_start_licence": [1 if c.uses_licence else 0 for c in starts],
        "course_completion_on": [c.date.toordinal() for c in completions],
        "course_completion_course": [text(c.course, len(strings)) for c in completions],
        "survey_on": [a.date.toordinal() for a in answers],
        "survey": [text(a.survey, len(strings)) for a in answers],
    }
    arrays = [array(_INT, columns[name]) for name in _COLUMNS]
    header = {
        "format": STATE_FORMAT,
        "events_folded": timelines.events_folded,
        "participants": list(timelines.journeys),
        "strings": list(strings),
        "lengths": [len(values) for values in arrays],
        "percentage": [p.percentage for p in percentages],
        "score": [a.score for a in answers],
        "scale_max": [a.scale_max for a in answers],
        "allocations": {
            stream: [[a.date.toordinal(), a.programme, a.seats] for a in allocations]
            for stream, allocations in timelines.allocations.items()
        },
        "facts": _facts(timelines.facts),
    }
    head = json.dumps(header, separators=(",", ":")).encode()
    parts = [_MAGIC, len(head).to_bytes(4, "little"), head]
    for values in arrays:
        if sys.byteorder != "little":
            values.byteswap()
        parts.append(values.tobytes())
    return zlib.compress(b"".join(parts), 1)


def decode_state(blob: bytes) -> Timelines:
    try:
        return _decoded(zlib.decompress(blob))
    except StateFormatError:
        raise
    except (zlib.error, ValueError, KeyError, TypeError, IndexError) as error:
        raise StateFormatError(f"unreadable checkpoint: {error}") from None


def _decoded(raw: bytes) -> Timelines:
    if not raw.startswith(_MAGIC):  # a JSON checkpoint of format 3 or earlier
        raise StateFormatError("checkpoint format before orbit-timelines/4")
    start = len(_MAGIC) + 4
    size = int.from_bytes(raw[len(_MAGIC) : start], "little")
    header = json.loads(raw[start : start + size])
    if not isinstance(header, dict) or header.get("format") != STATE_FORMAT:
        found = header.get("format") if isinstance(header, dict) else None
        raise StateFormatError(f"checkpoint format {found!r}")
    columns = _columns(raw[start + size :], header["lengths"])
    strings: list[str] = header["strings"]
    journeys = iter(_journeys(columns, strings, header))
    participants: list[str] = header["participants"]
    take = itertools.islice
    by_participant = {
        participant: tuple(take(journeys, count))
        for participant, count in zip(participants, columns["journeys"], strict=True)
    }
    if next(journeys, None) is not None:
        raise StateFormatError("checkpoint journeys do not match their participants")
    return Timelines(
        journeys=by_participant,
        allocations={
            stream: tuple(
                SeatsAllocated(_day(day), programme, seats) for day, programme, seats in allocations
            )
            for stream, allocations in header["allocations"].items()
        },
        events_folded=header["events_folded"],
        facts=_organisation_facts(header["facts"]),
    )


def _each_journey_of(participants: list[str], counts: list[int]) -> Iterator[str]:
    """Each journey's participant, in journey order."""
    for participant, count in zip(participants, counts, strict=True):
        for _ in range(count):
            yield participant


def _columns(data: bytes, lengths: list[int]) -> dict[str, list[int]]:
    if len(lengths) != len(_COLUMNS):
        raise StateFormatError("checkpoint columns do not match")
    itemsize = array(_INT).itemsize
    if itemsize != 4 or len(data) != 4 * sum(lengths):
        raise StateFormatError("checkpoint columns do not match")
    columns: dict[str, list[int]] = {}
    offset = 0
    for name, length in zip(_COLUMNS, lengths, strict=True):
        values = array(_INT, data[offset : offset + 4 * length])
        if sys.byteorder != "little":
            values.byteswap()
        columns[name] = values.tolist()
        offset += 4 * length
    return columns


def _journeys(
    columns: dict[str, list[int]], strings: list[str], header: dict[str, Any]
) -> list[JourneyTimeline]:
    """The journeys, each with its records taken in turn from the record columns."""
    day, optional_day = _day, _optional_day
    percentages = iter(
        [
            PercentageFrom(day(start), percentage)
            for start, percentage in zip(
                columns["percentage_start"], header["percentage"], strict=True
            )
        ]
    )
    hospiterings = iter(
        [
            HospiteringSpan(day(start), HOSPITERING_KINDS[strings[kind]], optional_day(end))
            for start, kind, end in zip(
                columns["hospitering_start"],
                columns["hospitering_kind"],
                columns["hospitering_end"],
                strict=True,
            )
        ]
    )
    starts = iter(
        [
            CourseStart(
                day(on), strings[course], None if category < 0 else strings[category], bool(lic)
            )
            for on, course, category, lic in zip(
                columns["course_start_on"],
                columns["course_start_course"],
                columns["course_start_category"],
                columns["course_start_licence"],
                strict=True,
            )
        ]
    )
    completions = iter(
        [
            CourseCompletion(day(on), strings[course])
            for on, course in zip(
                columns["course_completion_on"], columns["course_completion_course"], strict=True
            )
        ]
    )
    answers = iter(
        [
            SurveyAnswer(day(on), strings[survey], score, top)
            for on, survey, score, top in zip(
                columns["survey_on"],
                columns["survey"],
                header["score"],
                header["scale_max"],
                strict=True,
            )
        ]
    )
    take = itertools.islice
    journeys = [
        JourneyTimeline(
            participant,
            strings[programme],
            GENDERS[strings[gender]],
            day(referred_on),
            optional_day(waitlisted_on),
            optional_day(withdrawn_on),
            optional_day(placed_on),
            tuple(take(percentages, n_percentages)) if n_percentages else (),
            tuple(take(hospiterings, n_hospiterings)) if n_hospiterings else (),
            tuple(take(starts, n_starts)) if n_starts else (),
            tuple(take(completions, n_completions)) if n_completions else (),
            tuple(take(answers, n_answers)) if n_answers else (),
            None if exit_on == _NONE else Exit(day(exit_on), OUTCOMES[strings[exit_outcome]]),
        )
        for participant, (
            programme,
            gender,
            referred_on,
            waitlisted_on,
            withdrawn_on,
            placed_on,
            n_percentages,
            n_hospiterings,
            n_starts,
            n_completions,
            n_answers,
            exit_on,
            exit_outcome,
        ) in zip(
            _each_journey_of(header["participants"], columns["journeys"]),
            zip(*(columns[name] for name in _COLUMNS[1:14]), strict=True),
            strict=True,
        )
    ]
    for rest in (percentages, hospiterings, starts, completions, answers):
        if next(rest, None) is not None:
            raise StateFormatError("checkpoint records do not match their journeys")
    return journeys


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


def _ordinal(day: dt.date | None) -> int:
    return _NONE if day is None else day.toordinal()


_DAYS: dict[int, dt.date] = {}


def _day(ordinal: int) -> dt.date:
    day = _DAYS.get(ordinal)
    if day is None:
        day = _DAYS[ordinal] = dt.date.fromordinal(ordinal)
    return day


def _optional_day(ordinal: int) -> dt.date | None:
    return None if ordinal == _NONE else _day(ordinal)

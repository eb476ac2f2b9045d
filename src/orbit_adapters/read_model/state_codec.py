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
import functools
import itertools
import json
import sys
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

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


_R = TypeVar("_R")
_T = TypeVar("_T", bound=tuple[Any, ...])


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
    # Journeys and their records are named tuples: transposed, each field is one tuple
    # of values, which the columns below read without an attribute lookup per value.
    (
        _,
        programmes,
        journey_genders,
        referred_on,
        waitlisted_on,
        withdrawn_on,
        placed_on,
        percentages,
        hospiterings,
        starts,
        completions,
        answers,
        exits,
    ) = _fields(journeys, len(JourneyTimeline._fields))
    percentage_start, percentage = _fields(_flat(percentages), len(PercentageFrom._fields))
    hospitering_start, hospitering_kind, hospitering_end = _fields(
        _flat(hospiterings), len(HospiteringSpan._fields)
    )
    start_on, start_course, start_category, start_licence = _fields(
        _flat(starts), len(CourseStart._fields)
    )
    completion_on, completion_course = _fields(_flat(completions), len(CourseCompletion._fields))
    survey_on, survey, score, scale_max = _fields(_flat(answers), len(SurveyAnswer._fields))
    columns: dict[str, list[int]] = {
        "journeys": list(map(len, timelines.journeys.values())),
        "programme": [text(p, len(strings)) for p in programmes],
        "gender": [genders[g] for g in journey_genders],
        "referred_on": [d.toordinal() for d in referred_on],
        "waitlisted_on": _ordinals(waitlisted_on),
        "withdrawn_on": _ordinals(withdrawn_on),
        "placed_on": _ordinals(placed_on),
        "percentages": list(map(len, percentages)),
        "hospiterings": list(map(len, hospiterings)),
        "course_starts": list(map(len, starts)),
        "course_completions": list(map(len, completions)),
        "survey_answers": list(map(len, answers)),
        "exit_on": [_NONE if e is None else e.date.toordinal() for e in exits],
        "exit_outcome": [_NO_TEXT if e is None else outcomes[e.outcome] for e in exits],
        "percentage_start": [d.toordinal() for d in percentage_start],
        "hospitering_start": [d.toordinal() for d in hospitering_start],
        "hospitering_kind": [kinds[k] for k in hospitering_kind],
        "hospitering_end": _ordinals(hospitering_end),
        "course_start_on": [d.toordinal() for d in start_on],
        "course_start_course": [text(c, len(strings)) for c in start_course],
        "course_start_category": [
            _NO_TEXT if c is None else text(c, len(strings)) for c in start_category
        ],
        "course_start_licence": [1 if licence else 0 for licence in start_licence],
        "course_completion_on": [d.toordinal() for d in completion_on],
        "course_completion_course": [text(c, len(strings)) for c in completion_course],
        "survey_on": [d.toordinal() for d in survey_on],
        "survey": [text(s, len(strings)) for s in survey],
    }
    arrays = [array(_INT, columns[name]) for name in _COLUMNS]
    header = {
        "format": STATE_FORMAT,
        "events_folded": timelines.events_folded,
        "participants": list(timelines.journeys),
        "strings": list(strings),
        "lengths": [len(values) for values in arrays],
        "percentage": list(percentage),
        "score": list(score),
        "scale_max": list(scale_max),
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


def _fields(records: Sequence[tuple[Any, ...]], width: int) -> list[tuple[Any, ...]]:
    """Each of the ``width`` fields of ``records``, named tuples of one type, as one
    tuple of values."""
    if not records:
        return [() for _ in range(width)]
    return list(zip(*records, strict=True))


def _flat(per_journey: Iterable[tuple[_R, ...]]) -> list[_R]:
    """The records of every journey, journey by journey."""
    return list(itertools.chain.from_iterable(per_journey))


def _ordinals(days: Iterable[dt.date | None]) -> list[int]:
    return [_NONE if day is None else day.toordinal() for day in days]


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
    journeys = _journeys(columns, strings, header)
    participants: list[str] = header["participants"]
    by_participant = dict(zip(participants, _runs(journeys, columns["journeys"]), strict=True))
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
) -> tuple[JourneyTimeline, ...]:
    """The journeys, each with its runs of records cut from the record columns.

    Each column becomes its values with ``map`` (a loop in C, which a large state
    needs), and each run of records a slice of one tuple of them all."""
    days = _Days()
    day = days.__getitem__

    def optional_day(ordinal: int) -> dt.date | None:
        return None if ordinal == _NONE else days[ordinal]

    text = strings.__getitem__
    percentages = _records(
        PercentageFrom, map(day, columns["percentage_start"]), header["percentage"]
    )
    hospiterings = _records(
        HospiteringSpan,
        map(day, columns["hospitering_start"]),
        map(HOSPITERING_KINDS.__getitem__, map(text, columns["hospitering_kind"])),
        map(optional_day, columns["hospitering_end"]),
    )
    starts = _records(
        CourseStart,
        map(day, columns["course_start_on"]),
        map(text, columns["course_start_course"]),
        [
            None if category < 0 else strings[category]
            for category in columns["course_start_category"]
        ],
        map(bool, columns["course_start_licence"]),
    )
    completions = _records(
        CourseCompletion,
        map(day, columns["course_completion_on"]),
        map(text, columns["course_completion_course"]),
    )
    answers = _records(
        SurveyAnswer,
        map(day, columns["survey_on"]),
        map(text, columns["survey"]),
        header["score"],
        header["scale_max"],
    )
    return _records(
        JourneyTimeline,
        _each_journey_of(header["participants"], columns["journeys"]),
        map(text, columns["programme"]),
        map(GENDERS.__getitem__, map(text, columns["gender"])),
        map(day, columns["referred_on"]),
        map(optional_day, columns["waitlisted_on"]),
        map(optional_day, columns["withdrawn_on"]),
        map(optional_day, columns["placed_on"]),
        _runs(percentages, columns["percentages"]),
        _runs(hospiterings, columns["hospiterings"]),
        _runs(starts, columns["course_starts"]),
        _runs(completions, columns["course_completions"]),
        _runs(answers, columns["survey_answers"]),
        [
            None if on == _NONE else Exit(day(on), OUTCOMES[strings[outcome]])
            for on, outcome in zip(columns["exit_on"], columns["exit_outcome"], strict=True)
        ],
    )


def _records(kind: type[_T], *fields: Iterable[Any]) -> tuple[_T, ...]:
    """Records of the named tuple type ``kind`` from its fields' columns, which must be
    as long. Made as ``kind._make`` makes them, without its Python call per record (a
    third of decoding a state): ``zip`` gives each record all of its fields."""
    return tuple(map(functools.partial(tuple.__new__, kind), zip(*fields, strict=True)))


def _runs(records: tuple[_R, ...], counts: list[int]) -> list[tuple[_R, ...]]:
    """``records`` cut into consecutive runs of ``counts`` records each."""
    if sum(counts) != len(records) or min(counts, default=0) < 0:
        raise StateFormatError("checkpoint records do not match their journeys")
    ends = itertools.accumulate(counts, initial=0)
    return [records[start:end] for start, end in itertools.pairwise(ends)]


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


class _Days(dict[int, dt.date]):
    """Days by ordinal, each made once: a state holds a few thousand distinct days in
    hundreds of thousands of places."""

    def __missing__(self, ordinal: int) -> dt.date:
        day = self[ordinal] = dt.date.fromordinal(ordinal)
        return day


def _day(ordinal: int) -> dt.date:
    return dt.date.fromordinal(ordinal)

"""A replay's result for one period (its tallies, fingerprint and event count) as bytes.

Saved beside the fold state, so that a report nothing has changed since is read rather
than computed, and a report across organisations recomputes only those that changed.
JSON, not pickle, for the same reason as the fold state (no code runs on reading);
exact sums are JSON integers.
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

import attrs

from orbit_domain.events import Gender
from orbit_domain.organisation import Closure
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Month
from orbit_domain.projections import (
    ProgrammeTally,
    SeatTally,
    SurveyTally,
    WaitingTally,
)
from orbit_domain.projections.day_spans import DaySpan, LevelSpan
from orbit_domain.projections.organisation import EMPTY_ORGANISATION_TALLY, OrganisationTally
from orbit_domain.report import CourseCounts, CourseFigures

TALLIES_FORMAT = "orbit-tallies/4"
"""3: report-v1 revision 2, the days with a waiting list and the allocation spans per
programme, and the organisation block's tally (``organisation``). 4: the fingerprint is
orbit-fingerprint/3. Saved tallies of an earlier format lack one or the other, so they
are not read but made again."""


class TallyFormatError(Exception):
    """The bytes are not saved tallies this orbit can read."""


@attrs.frozen
class TalliedReplay:
    """One organisation's replay for one period, as far as a report needs it."""

    events_replayed: int
    fingerprint: str
    tallies: dict[str, ProgrammeTally]
    organisation: OrganisationTally = EMPTY_ORGANISATION_TALLY


def encode_tallied(tallied: TalliedReplay, key: str) -> bytes:
    """``key`` names the report the tallies are for; decoding checks it."""
    document = {
        "format": TALLIES_FORMAT,
        "key": key,
        "events_replayed": tallied.events_replayed,
        "fingerprint": tallied.fingerprint,
        "programmes": {name: _programme(tally) for name, tally in tallied.tallies.items()},
        "organisation": _organisation(tallied.organisation),
    }
    return zlib.compress(json.dumps(document, separators=(",", ":")).encode(), 1)


def decode_tallied(blob: bytes, key: str) -> TalliedReplay:
    try:
        document = json.loads(zlib.decompress(blob))
        if document.get("format") != TALLIES_FORMAT:
            raise TallyFormatError(f"tallies format {document.get('format')!r}")
        if document.get("key") != key:
            raise TallyFormatError(f"tallies of {document.get('key')!r}, not of {key!r}")
        return TalliedReplay(
            events_replayed=document["events_replayed"],
            fingerprint=document["fingerprint"],
            tallies={
                name: _programme_tally(fields) for name, fields in document["programmes"].items()
            },
            organisation=_organisation_tally(document["organisation"]),
        )
    except TallyFormatError:
        raise
    except (zlib.error, ValueError, KeyError, TypeError, IndexError) as error:
        raise TallyFormatError(f"unreadable tallies: {error}") from None


def _organisation(tally: OrganisationTally) -> dict[str, Any]:
    return {
        # A list of pairs: the key of complaints without a programme is null.
        "complaints": [[code, n] for code, n in tally.complaints_by_programme.items()],
        "training_days": tally.training_days,
        "closures": [[c.start.toordinal(), c.end.toordinal(), c.programme] for c in tally.closures],
    }


def _organisation_tally(fields: dict[str, Any]) -> OrganisationTally:
    return OrganisationTally(
        complaints_by_programme=dict(fields["complaints"]),
        training_days=fields["training_days"],
        closures=tuple(
            Closure(dt.date.fromordinal(start), dt.date.fromordinal(end), programme)
            for start, end, programme in fields["closures"]
        ),
    )


def _programme(tally: ProgrammeTally) -> dict[str, Any]:
    seats = tally.seats
    return {
        "participants_by_gender": {g.value: n for g, n in tally.participants_by_gender.items()},
        "active_at_end": tally.active_at_end,
        "new_starts": tally.new_starts,
        "exits_by_outcome": {o.value: n for o, n in tally.exits_by_outcome.items()},
        "early_leavers": tally.early_leavers,
        "hospitering_participants": tally.hospitering_participants,
        "waiting_at_end": tally.waiting.at_end,
        "waits": [[days, n] for days, n in sorted(tally.waiting.waits.items())],
        "waiting_days": [
            [first.isoformat(), last.isoformat()]
            for first, last in tally.waiting.days_with_waiting_list
        ],
        "seats": [
            [str(month), days, used, allocated]
            for month, days, used, allocated in zip(
                seats.months,
                seats.days,
                seats.used_seat_percent_days,
                seats.allocated_seat_days,
                strict=True,
            )
        ],
        "allocated_before": seats.allocated_before,
        "allocations": [
            [first.isoformat(), last.isoformat(), level] for first, last, level in seats.allocations
        ],
        "courses": {
            course: [c.participants, c.starts, c.completions]
            for course, c in tally.courses.by_course.items()
        },
        "participants_by_category": dict(tally.courses.participants_by_category),
        "licences_used": tally.courses.licences_used,
        "surveys": {
            survey: [s.responses, s.score_sum, s.percent_sum, sorted(s.scales)]
            for survey, s in tally.surveys.items()
        },
    }


def _programme_tally(fields: dict[str, Any]) -> ProgrammeTally:
    seats = fields["seats"]
    return ProgrammeTally(
        participants_by_gender={Gender(g): n for g, n in fields["participants_by_gender"].items()},
        active_at_end=fields["active_at_end"],
        new_starts=fields["new_starts"],
        exits_by_outcome={Outcome(o): n for o, n in fields["exits_by_outcome"].items()},
        early_leavers=fields["early_leavers"],
        hospitering_participants=fields["hospitering_participants"],
        waiting=WaitingTally(
            fields["waiting_at_end"],
            dict(fields["waits"]),
            tuple(
                DaySpan(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
                for first, last in fields["waiting_days"]
            ),
        ),
        seats=SeatTally(
            months=tuple(_month(month) for month, _, _, _ in seats),
            days=tuple(days for _, days, _, _ in seats),
            used_seat_percent_days=tuple(used for _, _, used, _ in seats),
            allocated_seat_days=tuple(allocated for _, _, _, allocated in seats),
            allocated_before=fields["allocated_before"],
            allocations=tuple(
                LevelSpan(dt.date.fromisoformat(first), dt.date.fromisoformat(last), level)
                for first, last, level in fields["allocations"]
            ),
        ),
        courses=CourseFigures(
            by_course={
                course: CourseCounts(participants, starts, completions)
                for course, (participants, starts, completions) in fields["courses"].items()
            },
            participants_by_category=fields["participants_by_category"],
            licences_used=fields["licences_used"],
        ),
        surveys={
            survey: SurveyTally(responses, score_sum, percent_sum, frozenset(scales))
            for survey, (responses, score_sum, percent_sum, scales) in fields["surveys"].items()
        },
    )


def _month(text: str) -> Month:
    year, month = text.split("-")
    return Month(int(year), int(month))

"""The seed history: a made-up organisation whose 2024 report has the seed annual report's figures.

The annual report (issue 12, annual-report-v1) is judged against the figures of the
*seed*, the 2024 annual report it takes as its model. This module builds, by hand and
without any text of that report, an events-v1 history of one organisation, 2022-2024,
whose report-v1 figures are exactly those figures, so that every sentence of the
generated document can be checked against a known number. 2023 is there to compare
against; 2022 gives 2023 a past. Placements already running on 1 January 2022 begin
earlier, as they would.

``seed_history_lines()`` returns the lines, with ids and ``recorded_at``, in file order
(sorted by ``recorded_at``). Nothing is random: the same call gives the same lines.

The figures it is built to give (report-v1 keys, ``--year 2024`` unless said):

- AFT: 108 ``exits``; work + education 61 (56 %), the rest 47 (44 %): 10 ``other_active``
  (``activity_rate`` 66 %) and 37 inactive or unknown; every outcome code used; 75 seats
  allocated all year; a waiting list at the end of every day of 2024
  (``waiting.days_with_waiting_list`` 366); ``waiting.max_wait_days`` 121 (2023: 150).
- VTA: 64 ``participants_served``; seats 40 until 2023-12-31, then 46 from 2024-01-01,
  51 from 2024-07-01 and 53 from 2024-11-01 (13 extra seats in the year);
  ``hospitering_participants`` 13 (2023: 10); 18 ``new_starts`` of whom 3
  ``early_leavers``; 7 ``exits``, 3 of them to work (``placement_rate`` 3/7, 43 %).
- Surveys, by name:

  | survey | programme | scale | mean 2024 | mean 2023 | what it is |
  |---|---|---|---|---|---|
  | ``exit`` | AFT | 100 | 89 | 86 | the exit survey (sluttundersøkelse), on the day of leaving |
  | ``user`` | AFT | 6 | 5.4 | 5.2 | the user survey (brukerundersøkelse), each April and October |
  | ``vta_user`` | VTA | 6 | 5.0 | 4.9 | VTA's own user survey, each May and November |

- Courses: category ``computer_room`` 46 participants (45 AFT, 1 VTA); ``migranorsk``
  (category ``language``) 15 participants, all AFT; ``licences_used`` 36, all AFT.
- Organisation facts (events-v1 revision 2, ``seed_organisation_fact_lines()``): one
  complaint in 2024 (a second, registered in error, is retracted); staff training 226
  days in 2024 and 163 in 2023 (+63); a summer closure in July 2024 and a Christmas one.

It is also realistic: part-time AFT starts stepped up over the months, VTA part-time seats,
external practice and hospitering, withdrawals from the waiting list, re-entries (one from
AFT to VTA), exits recorded a few days late, and exits first recorded as ``unknown`` and
corrected weeks later.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

SEED_YEAR = 2024
HISTORY_START = dt.date(2022, 1, 1)
HISTORY_END = dt.date(SEED_YEAR, 12, 31)
YEARS = (2022, 2023, 2024)

_T = TypeVar("_T")

# events-v1's outcome codes, in its order.
OUTCOMES = (
    "work_unsubsidised",
    "work_subsidised",
    "vto",
    "education_self_funded",
    "education_nav_funded",
    "other_active",
    "treatment",
    "pension",
    "no_active",
    "unknown",
)
# AFT's 108 exits in 2024: 24 + 15 + 1 + 8 + 13 = 61 to work or education, 10 other active.
AFT_OUTCOMES_SEED_YEAR = dict(zip(OUTCOMES, (24, 15, 1, 8, 13, 10, 14, 5, 12, 6), strict=True))
# The earlier years' exits take their outcomes in turn from this spread (about 54 % placed).
AFT_OUTCOMES_EARLIER = dict(zip(OUTCOMES, (20, 12, 1, 7, 10, 9, 12, 5, 10, 6), strict=True))

# --- small deterministic helpers ---------------------------------------------------------


def _cycle(values: Sequence[_T], index: int) -> _T:
    return values[index % len(values)]


def _days(start: dt.date, count: int) -> dt.date:
    return start + dt.timedelta(days=count)


def _spread(items: Sequence[_T], count: int) -> list[_T]:
    """``count`` of ``items``, evenly spread over them, in their order."""
    if count > len(items):
        raise ValueError(f"the seed history needs {count} items and has {len(items)}")
    return [items[index * len(items) // count] for index in range(count)]


def _interleaved(counts: dict[str, int]) -> list[str]:
    """Each code as often as ``counts`` says, each spread evenly over the whole list."""
    slots = [
        ((place + 0.5) / count, OUTCOMES.index(code), code)
        for code, count in counts.items()
        for place in range(count)
    ]
    return [code for *_, code in sorted(slots)]


def _scores(pattern: Sequence[int], count: int) -> list[int]:
    """``count`` scores repeating ``pattern`` whole, so their mean is the pattern's mean."""
    if count % len(pattern):
        raise ValueError(f"{count} answers do not repeat a pattern of {len(pattern)} whole")
    return [_cycle(pattern, index) for index in range(count)]


# --- journeys ----------------------------------------------------------------------------


@dataclasses.dataclass
class _Dated:
    """An event inside a journey: a percentage change, hospitering, course or survey."""

    date: dt.date
    type: str
    data: dict[str, Any] | None = None


@dataclasses.dataclass
class _Journey:
    person: int
    programme: str
    referred: dt.date
    waitlisted: dt.date | None = None
    placed: dt.date | None = None
    percentage: int | None = None
    exited: dt.date | None = None
    outcome: str | None = None
    withdrawn: dt.date | None = None
    reason: str | None = None
    extras: list[_Dated] = dataclasses.field(default_factory=list)
    # an exit first recorded as ``unknown``, and the day its correction was recorded
    corrected_on: dt.date | None = None

    @property
    def last_day(self) -> dt.date:
        """The journey's last day in the history: its end, or the history's."""
        return self.exited or self.withdrawn or HISTORY_END

    def placed_over(self, start: dt.date, end: dt.date) -> bool:
        """Whether the placement runs over all of ``start``..``end``."""
        return self.placed is not None and self.placed <= start and end <= self.last_day

    def placed_days_in(self, year: int) -> int:
        if self.placed is None:
            return 0
        first = max(self.placed, dt.date(year, 1, 1))
        return (min(self.last_day, dt.date(year, 12, 31)) - first).days + 1

    def add(self, date: dt.date, event_type: str, data: dict[str, Any] | None = None) -> None:
        first = self.placed or self.referred
        if not first <= date <= self.last_day:
            raise ValueError(f"{event_type} on {date} is outside journey {self}")
        self.extras.append(_Dated(date, event_type, data))


class _People:
    """Hands out person numbers; a re-entry reuses one."""

    def __init__(self) -> None:
        self._next = 0

    def new(self) -> int:
        self._next += 1
        return self._next


def _occupant(
    people: _People,
    programme: str,
    placed: dt.date,
    exited: dt.date | None,
    wait: int | None,
    percentage: int | None,
) -> _Journey:
    """A placement from ``placed`` (to ``exited``), after ``wait`` days on the waiting list.

    Without a wait the participant was placed directly, six days after the referral.
    A start after the history's end leaves a journey still waiting at its end.
    """
    waitlisted = None if wait is None else _days(placed, -wait)
    referred = _days(placed, -6) if waitlisted is None else _days(waitlisted, -((wait or 0) % 4))
    if placed > HISTORY_END:
        return _Journey(people.new(), programme, referred, waitlisted)
    return _Journey(people.new(), programme, referred, waitlisted, placed, percentage, exited)


# --- AFT: seats as chairs, each with its succession of participants ----------------------

AFT_CHAIRS = 78
_AFT_FULL_YEAR_CHAIRS = range(6)  # one participant all through 2024
_AFT_ONE_EXIT_CHAIRS = range(6, 42)  # 36 exits in 2024
_AFT_TWO_EXIT_CHAIRS = range(42, 78)  # 72 exits in 2024: 36 + 72 = 108
_AFT_STAYS = (365, 290, 420, 150, 335, 500, 95, 390, 455, 310, 120, 600, 200, 345, 75)
_AFT_GAPS = (2, 5, 9, 3, 14, 6, 1, 11, 4, 7)  # days a chair stands empty between two people
_AFT_WAITS = (35, 62, 14, 88, 47, 105, 28, 71, 55, 96, 40, 19, 66, 83, 8, 51, 77)
_AFT_START_PERCENTAGES = (50, 60, 100, 80, 40, 100, 70, 100, 60, 100, None)
# The longest waits of their years: a start in 2024 after 121 days ("up to 4 months"),
# and one in 2023 after 150 days, which 2024's figure must not see.
_LONGEST_WAIT_CHAIR, _LONGEST_WAIT = 60, 121
_LONGEST_WAIT_CHAIR_2023, _LONGEST_WAIT_2023 = 30, 150


def _aft_exits_in_seed_year(chair: int) -> list[dt.date]:
    new_year = dt.date(SEED_YEAR, 1, 1)
    if chair in _AFT_FULL_YEAR_CHAIRS:
        return []
    if chair in _AFT_ONE_EXIT_CHAIRS:
        return [_days(new_year, 4 + 10 * (chair - _AFT_ONE_EXIT_CHAIRS.start))]
    if chair in _AFT_TWO_EXIT_CHAIRS:
        rank = chair - _AFT_TWO_EXIT_CHAIRS.start
        first = _days(new_year, 2 + 4 * rank)
        return [first, _days(first, 150 + (29 * rank) % 61)]
    raise ValueError(f"AFT has no chair {chair}")


def _aft_seated_on_new_year(chair: int, exits: list[dt.date]) -> tuple[dt.date, dt.date | None]:
    """The placement of whoever sits in ``chair`` on 1 January 2024."""
    start = _days(dt.date(SEED_YEAR - 1, 1, 5), (131 * chair) % 340)
    if not exits:
        return start, None
    return min(start, _days(exits[0], -120)), exits[0]


def _aft_chair(people: _People, chair: int) -> list[_Journey]:
    exits = _aft_exits_in_seed_year(chair)
    spans = [_aft_seated_on_new_year(chair, exits)]
    while spans[0][0] >= HISTORY_START:  # back to whoever sat there on 1 January 2022
        turn = len(spans)
        left = _days(spans[0][0], -_cycle(_AFT_GAPS, chair + turn))
        spans.insert(0, (_days(left, -_cycle(_AFT_STAYS, 3 * chair + turn)), left))
    for turn, exit_day in enumerate(exits, start=1):
        following = exits[turn] if turn < len(exits) else None
        spans.append((_days(exit_day, _cycle(_AFT_GAPS, 2 * chair + turn)), following))

    journeys = []
    for turn, (start, end) in enumerate(spans):
        index = 7 * chair + turn
        wait: int | None = _cycle(_AFT_WAITS, index)
        if chair == _LONGEST_WAIT_CHAIR and start.year == SEED_YEAR and end is None:
            wait = _LONGEST_WAIT
        elif chair == _LONGEST_WAIT_CHAIR_2023 and start.year == SEED_YEAR - 1:
            wait = _LONGEST_WAIT_2023
        elif index % 11 == 5:
            wait = None
        percentage = _cycle(_AFT_START_PERCENTAGES, index)
        journeys.append(_occupant(people, "AFT", start, end, wait, percentage))
    return journeys


def _aft_withdrawals(people: _People) -> list[_Journey]:
    """Ten referrals a year withdrawn before a start, most of them from the waiting list."""
    waits = (12, 40, 75, 20, 55, 5, 90, 30, 64, 18)
    reasons = ("fikk jobb", "flyttet", "ønsket ikke tiltaket", "helse", None)
    journeys = []
    for year in YEARS:
        for turn, wait in enumerate(waits):
            referred = _days(dt.date(year, 1, 20), 33 * turn)
            waitlisted = None if turn % 4 == 3 else referred
            journeys.append(
                _Journey(
                    people.new(),
                    "AFT",
                    referred,
                    waitlisted,
                    withdrawn=_days(referred, wait),
                    reason=_cycle(reasons, turn + year),
                )
            )
    return journeys


def _aft_journeys(people: _People) -> list[_Journey]:
    journeys = [j for chair in range(AFT_CHAIRS) for j in _aft_chair(people, chair)]
    journeys += _aft_withdrawals(people)
    # Referred in the autumn of 2024, for a start in 2025: waiting at the end of the history.
    for turn in range(14):
        referred = _days(dt.date(SEED_YEAR, 9, 9), 8 * turn)
        journeys.append(_Journey(people.new(), "AFT", referred, _days(referred, turn % 3)))
    _aft_outcomes(journeys)
    _aft_percentage_steps(journeys)
    _aft_external_practice(journeys)
    return journeys


def _exits_in(journeys: Iterable[_Journey], programme: str, year: int) -> list[_Journey]:
    found = [
        j
        for j in journeys
        if j.programme == programme and j.exited is not None and j.exited.year == year
    ]
    return sorted(found, key=lambda j: (j.exited, j.person))


def _aft_outcomes(journeys: list[_Journey]) -> None:
    earlier = _interleaved(AFT_OUTCOMES_EARLIER)
    exits = [j for year in range(2000, SEED_YEAR) for j in _exits_in(journeys, "AFT", year)]
    for turn, journey in enumerate(exits):
        journey.outcome = _cycle(earlier, turn)
    seed_year_exits = _exits_in(journeys, "AFT", SEED_YEAR)
    for journey, outcome in zip(seed_year_exits, _interleaved(AFT_OUTCOMES_SEED_YEAR), strict=True):
        journey.outcome = outcome
    # One exit a year is first recorded as unknown and corrected three weeks later.
    for year, outcome in ((SEED_YEAR - 1, "education_self_funded"), (SEED_YEAR, "work_subsidised")):
        corrected = next(
            j
            for j in _exits_in(journeys, "AFT", year)
            if j.outcome == outcome and j.exited is not None and j.exited.month >= 9
        )
        assert corrected.exited is not None
        corrected.corrected_on = _days(corrected.exited, 23)


def _aft_percentage_steps(journeys: list[_Journey]) -> None:
    """Part-time starts step up by 30 points after two months, to full time after five."""
    for journey in journeys:
        if journey.placed is None or journey.percentage in (None, 100):
            continue
        current = journey.percentage
        assert current is not None
        for after, percentage in ((60, min(100, current + 30)), (150, 100)):
            day = _days(journey.placed, after)
            if day < journey.last_day and percentage != current:
                journey.add(day, "PercentageChanged", {"percentage": percentage})
                current = percentage
        if journey.person % 13 == 0 and _days(journey.placed, 200) < journey.last_day:
            journey.add(_days(journey.placed, 200), "PercentageChanged", {"percentage": 80})


_EMPLOYERS = (
    "Rema 1000",
    "Coop Extra",
    "kommunens driftsavdeling",
    "bilverksted",
    "barnehage",
    "lager og logistikk",
    "kafé",
    None,
)


def _aft_external_practice(journeys: list[_Journey]) -> None:
    """One long AFT stay in three ends with external practice, some still out at the exit."""
    for journey in journeys:
        if journey.placed is None or journey.exited is None or journey.person % 3:
            continue
        if (journey.exited - journey.placed).days < 240:
            continue
        employer = _cycle(_EMPLOYERS, journey.person)
        data = {"kind": "practice"} | ({"employer": employer} if employer else {})
        journey.add(_days(journey.exited, -80), "HospiteringStarted", data)
        if journey.person % 2:
            journey.add(_days(journey.exited, -20), "HospiteringEnded")


# --- VTA: permanent places, growing from 40 seats to 53 ----------------------------------

_VTA_PERCENTAGES = (100, 100, 80, 60, 100, 50, 40, 100, 75, 100, 100, 60)
# 40 long-standing workers placed 2006-2021, and six placed in 2023: 46 on 1 January 2024.
_VTA_PLACED_2023 = (
    "2023-02-06",
    "2023-04-17",
    "2023-06-05",
    "2023-09-04",
    "2023-11-13",
    "2023-12-04",
)
# Workers who left before 2024: (placed, exited, outcome).
_VTA_EARLIER = (
    ("2009-04-01", "2022-03-31", "pension"),
    ("2012-08-13", "2022-06-30", "vto"),
    ("2022-02-07", "2022-11-15", "no_active"),
    ("2010-01-04", "2023-02-28", "pension"),
    ("2015-09-01", "2023-05-31", "work_subsidised"),
    ("2022-05-02", "2023-08-18", "treatment"),
    ("2019-03-04", "2023-10-31", "vto"),
)
# 2024's exits among the 46: worker number -> (exit, outcome).
_VTA_EXITS_2024 = {
    3: ("2024-03-31", "pension"),
    11: ("2024-08-31", "vto"),
    19: ("2024-10-15", "work_subsidised"),
    25: ("2024-06-28", "pension"),
}
# 2024's 18 new starts, more after the seats grew in July and November; three leave early.
_VTA_STARTS_2024 = (
    "2024-01-08", "2024-02-05", "2024-03-04", "2024-04-02", "2024-05-06", "2024-07-01",
    "2024-07-01", "2024-07-08", "2024-07-15", "2024-08-05", "2024-08-19", "2024-09-02",
    "2024-09-16", "2024-10-07", "2024-11-04", "2024-11-04", "2024-11-18", "2024-12-02",
)  # fmt: skip
_VTA_EARLY_LEAVERS = {
    1: ("2024-04-30", "no_active"),
    7: ("2024-11-29", "work_unsubsidised"),
    10: ("2024-10-31", "treatment"),
}
_VTA_WAITS = (180, 240, 95, 400, 310, 150, 60, 275, 130, 205)
# The new start who came from AFT (an AFT exit to another active solution in 2023).
_VTA_FROM_AFT = 12


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@dataclasses.dataclass
class _Vta:
    workers: list[_Journey]  # the 46 in place on 1 January 2024
    leavers: list[_Journey]  # those who left before 2024
    new_starts: list[_Journey]  # 2024's 18
    waiting: list[_Journey]  # referrals still waiting at the end, or withdrawn

    @property
    def journeys(self) -> list[_Journey]:
        return self.workers + self.leavers + self.new_starts + self.waiting


def _vta_journeys(people: _People) -> _Vta:
    workers = []
    for number in range(46):
        placed = (
            _days(dt.date(2006, 2, 1), 140 * number)
            if number < 40
            else _day(_VTA_PLACED_2023[number - 40])
        )
        exited, outcome = _VTA_EXITS_2024.get(number, (None, None))
        journey = _occupant(
            people,
            "VTA",
            placed,
            _day(exited) if exited else None,
            _cycle(_VTA_WAITS, number),
            _cycle(_VTA_PERCENTAGES, number),
        )
        journey.outcome = outcome
        workers.append(journey)

    leavers = []
    for number, (started, left, outcome) in enumerate(_VTA_EARLIER):
        journey = _occupant(
            people, "VTA", _day(started), _day(left), _cycle(_VTA_WAITS, number + 3), 100
        )
        journey.outcome = outcome
        leavers.append(journey)
    new_starts = []
    for number, started in enumerate(_VTA_STARTS_2024):
        leaving, outcome = _VTA_EARLY_LEAVERS.get(number, (None, None))
        journey = _occupant(
            people,
            "VTA",
            _day(started),
            _day(leaving) if leaving else None,
            _cycle(_VTA_WAITS, number + 5),
            _cycle(_VTA_PERCENTAGES, number + 7),
        )
        journey.outcome = outcome
        new_starts.append(journey)
    # Still waiting at the end of 2024, and two withdrawn from the waiting list.
    waiting = [
        _Journey(people.new(), "VTA", _day(referred), _day(referred))
        for referred in ("2024-03-11", "2024-06-17", "2024-09-23", "2024-12-09")
    ]
    for referred, withdrawn, reason in (
        ("2023-05-08", "2023-08-14", "ønsket annet tiltak"),
        ("2024-02-12", "2024-06-03", "flyttet"),
    ):
        waiting.append(
            _Journey(
                people.new(),
                "VTA",
                _day(referred),
                _day(referred),
                withdrawn=_day(withdrawn),
                reason=reason,
            )
        )
    for journey in workers:
        if journey.percentage is not None and journey.person % 9 == 4:
            raised = min(100, journey.percentage + 20)
            if raised != journey.percentage and journey.last_day > dt.date(2024, 3, 1):
                journey.add(dt.date(2024, 3, 1), "PercentageChanged", {"percentage": raised})
    return _Vta(workers, leavers, new_starts, waiting)


# Hospitering spans: (worker number among the 46, start, end or None when open at the exit).
# 2022: two workers; 2023: ten with a leaver's below (three still out in 2024); 2024: those
# three and ten more with a new start's below, thirteen.
_VTA_HOSPITERING = (
    (7, "2022-03-07", "2022-05-27"),
    (12, "2022-09-05", "2022-11-25"),
    (0, "2023-02-06", "2023-05-05"),
    (5, "2023-03-13", "2023-06-16"),
    (8, "2023-04-17", "2023-06-30"),
    (14, "2023-08-21", "2023-10-27"),
    (20, "2023-09-04", "2023-12-15"),
    (30, "2023-01-16", "2023-03-31"),
    (2, "2023-10-02", "2024-01-26"),
    (9, "2023-11-06", "2024-02-29"),
    (16, "2023-11-20", "2024-03-22"),
    (6, "2024-02-05", "2024-04-26"),
    (13, "2024-03-04", "2024-05-31"),
    (11, "2024-04-08", None),
    (22, "2024-04-15", "2024-06-21"),
    (41, "2024-05-06", "2024-06-28"),
    (19, "2024-05-13", "2024-09-27"),
    (28, "2024-08-12", "2024-10-25"),
    (33, "2024-09-02", "2024-11-29"),
    (2, "2024-09-09", "2024-11-15"),
    (37, "2024-10-07", "2024-12-13"),
)


def _vta_hospitering(vta: _Vta) -> None:
    for number, start, end in _VTA_HOSPITERING:
        worker = vta.workers[number]
        employer = _cycle(_EMPLOYERS, number)
        data = ({"employer": employer} if employer else {}) | (
            {"kind": "hospitering"} if number % 2 else {}
        )
        worker.add(_day(start), "HospiteringStarted", data)
        if end is not None:
            worker.add(_day(end), "HospiteringEnded")
    # A worker who left in 2023 for a subsidised job, out on hospitering until the exit.
    to_job = vta.leavers[4]
    assert to_job.outcome == "work_subsidised"
    to_job.add(_day("2023-01-09"), "HospiteringStarted", {"employer": "Coop Extra"})
    # And 2024's first new start.
    vta.new_starts[0].add(_day("2024-06-03"), "HospiteringStarted", {"employer": "barnehage"})
    vta.new_starts[0].add(_day("2024-08-30"), "HospiteringEnded")


# --- courses and surveys -----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Course:
    code: str
    category: str
    licence: bool | None  # None: the line leaves it out (events-v1's default, no licence)
    days: int  # from start to completion


_WORD = _Course("dpl:word", "computer_room", True, 21)
_EXCEL = _Course("dpl:excel", "computer_room", True, 21)
_CAREER = _Course("karriereportalen", "computer_room", False, 10)
_MIGRANORSK = _Course("migranorsk", "language", None, 120)
_VR = _Course("vr:interview", "vr", True, 1)

# Participants per course and year (AFT). 2024: 18 + 12 + 15 = 45 in the computer room,
# 36 licences (18 + 12 + 6); one word participant in three also takes karriereportalen.
_AFT_COURSES = {
    2022: ((_WORD, 14), (_EXCEL, 9), (_CAREER, 12), (_MIGRANORSK, 11), (_VR, 3)),
    2023: ((_WORD, 16), (_EXCEL, 10), (_CAREER, 13), (_MIGRANORSK, 12), (_VR, 4)),
    2024: ((_WORD, 18), (_EXCEL, 12), (_CAREER, 15), (_MIGRANORSK, 15), (_VR, 6)),
}


def _take_course(journey: _Journey, course: _Course, year: int, turn: int) -> None:
    assert journey.placed is not None
    first = max(journey.placed, dt.date(year, 1, 10))
    last = min(journey.last_day, dt.date(year, 12, 10))
    start = _days(first, (37 * turn) % max(1, (last - first).days))
    data: dict[str, Any] = {"course": course.code, "category": course.category}
    if course.licence is not None:
        data["licence"] = course.licence
    journey.add(start, "CourseStarted", data)
    completed = _days(start, course.days)
    if completed <= journey.last_day and turn % 5 != 4:  # one in five never completes
        journey.add(completed, "CourseCompleted", {"course": course.code})


def _aft_courses(journeys: list[_Journey]) -> None:
    for year, courses in _AFT_COURSES.items():
        pool = [j for j in journeys if j.programme == "AFT" and j.placed_days_in(year) >= 45]
        room = sum(count for course, count in courses if course.category == "computer_room")
        room_takers = iter(_spread(pool, room))
        for course, count in courses:
            if course.category == "computer_room":
                takers = [next(room_takers) for _ in range(count)]
            else:  # other courses draw from everyone in place: some take several kinds
                takers = _spread(pool, count)
            for turn, journey in enumerate(takers):
                _take_course(journey, course, year, turn)
                if course is _WORD and turn % 3 == 0:
                    _take_course(journey, _CAREER, year, turn + 1)


def _answer(journey: _Journey, day: dt.date, survey: str, score: int, scale: int) -> None:
    journey.add(day, "SurveyAnswered", {"survey": survey, "score": score, "scale_max": scale})


# Score patterns whose means are the figures: (6+5+6+5+5+6+4+6+5+6) / 10 = 5.4 and so on.
_USER_SCORES = {2022: (5, 5, 6, 4, 5), 2023: (6, 5, 5, 5, 5), 2024: (6, 5, 6, 5, 5, 6, 4, 6, 5, 6)}
_EXIT_SCORES = {2022: (88, 80, 84, 76), 2023: (90, 80, 95, 75, 90), 2024: (92, 85, 96, 83)}
_EXIT_ANSWERS = {2022: 28, 2023: 30, 2024: 36}  # of 75, 81 and 108 exits
_VTA_USER_SCORES = {
    2022: (5, 4, 5, 5, 6, 4, 5, 5, 4, 5),
    2023: (5, 5, 4, 5, 5, 5, 6, 4, 5, 5),
    2024: (5, 6, 4, 5, 5),
}


_SIX_POINTS = 6  # the scale of the user surveys


def _twice_a_year(
    journeys: list[_Journey],
    programme: str,
    survey: str,
    months: tuple[int, int],
    scores: dict[int, tuple[int, ...]],
    per_round: int,
) -> None:
    """A survey round in each of ``months``, answered by ``per_round`` people in place."""
    for year, pattern in scores.items():
        answers = iter(_scores(pattern, 2 * per_round))
        for month in months:
            first, last = dt.date(year, month, 5), dt.date(year, month, 25)
            placed = [
                j for j in journeys if j.programme == programme and j.placed_over(first, last)
            ]
            for turn, journey in enumerate(_spread(placed, per_round)):
                _answer(journey, _days(first, turn % 20), survey, next(answers), _SIX_POINTS)


def _exit_surveys(journeys: list[_Journey]) -> None:
    """About one in three who leave AFT answer the exit survey on their last day."""
    for year, pattern in _EXIT_SCORES.items():
        answering = _spread(_exits_in(journeys, "AFT", year), _EXIT_ANSWERS[year])
        for journey, score in zip(answering, _scores(pattern, len(answering)), strict=True):
            assert journey.exited is not None
            _answer(journey, journey.exited, "exit", score, 100)


# --- re-entries --------------------------------------------------------------------------


def _reenter(
    journeys: list[_Journey],
    earlier: Callable[[_Journey], bool],
    later: Callable[[_Journey], bool],
    months_between: int,
) -> None:
    """The first later journey matching ``later`` is a re-entry of the first to end of ``earlier``.

    Both are their person's only journey so far; the earlier one ended (and was never
    corrected) ``months_between`` months or more before the later referral.
    """
    journeys_of: dict[int, int] = {}
    for journey in journeys:
        journeys_of[journey.person] = journeys_of.get(journey.person, 0) + 1
    alone = sorted(
        (j for j in journeys if journeys_of[j.person] == 1), key=lambda j: (j.referred, j.person)
    )
    first = min(
        (j for j in alone if earlier(j) and j.corrected_on is None),
        key=lambda j: (j.last_day, j.person),
    )
    ready = _days(first.last_day, 30 * months_between)
    second = next(j for j in alone if later(j) and j.referred >= ready)
    second.person = first.person


def _aft_exit(year: int, outcome: str) -> Callable[[_Journey], bool]:
    def matches(journey: _Journey) -> bool:
        exited = journey.exited
        return (
            journey.programme == "AFT"
            and exited is not None
            and exited.year == year
            and (journey.outcome == outcome)
        )

    return matches


def _aft_placed_in(year: int) -> Callable[[_Journey], bool]:
    def matches(journey: _Journey) -> bool:
        placed = journey.placed
        return journey.programme == "AFT" and placed is not None and placed.year == year

    return matches


def _aft_withdrawn(journey: _Journey) -> bool:
    return journey.programme == "AFT" and journey.withdrawn is not None


def _aft_waiting(journey: _Journey) -> bool:
    return journey.programme == "AFT" and journey.placed is None and journey.withdrawn is None


def _reentries(journeys: list[_Journey], vta_from_aft: _Journey) -> None:
    _reenter(journeys, _aft_withdrawn, _aft_placed_in(2023), 3)
    _reenter(journeys, _aft_exit(2022, "no_active"), _aft_placed_in(SEED_YEAR), 6)
    # From AFT to VTA: left AFT for another active solution, then referred to VTA.
    _reenter(journeys, _aft_exit(2023, "other_active"), lambda j: j is vta_from_aft, 1)
    # Left AFT in 2024 for treatment, referred again in the autumn and waiting at the end.
    _reenter(journeys, _aft_exit(SEED_YEAR, "treatment"), _aft_waiting, 4)


# --- the organisation's lines ------------------------------------------------------------

# (programme, date, seats, recorded on): each year's seats, set the December before; VTA
# grew in 2024, with each change decided a few weeks ahead.
_ALLOCATIONS = (
    ("AFT", "2022-01-01", 75, "2021-12-13"),
    ("VTA", "2022-01-01", 40, "2021-12-13"),
    ("AFT", "2023-01-01", 75, "2022-12-12"),
    ("VTA", "2023-01-01", 40, "2022-12-12"),
    ("AFT", "2024-01-01", 75, "2023-12-11"),
    ("VTA", "2024-01-01", 46, "2023-12-11"),
    ("VTA", "2024-07-01", 51, "2024-06-14"),
    ("VTA", "2024-11-01", 53, "2024-10-18"),
)


def _line(
    event_type: str,
    date: dt.date,
    data: dict[str, Any] | None,
    recorded_at: dt.datetime,
    event_id: str,
    participant: str | None = None,
) -> dict[str, Any]:
    line: dict[str, Any] = {"type": event_type}
    if participant is not None:
        line["participant"] = participant
    line["date"] = date.isoformat()
    if data:
        line["data"] = data
    line["recorded_at"] = recorded_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    line["id"] = event_id
    return line


def _at(day: str, time: str = "10:00") -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T{time}:00+00:00")


def _allocation_lines() -> list[dict[str, Any]]:
    return [
        _line(
            "SeatsAllocated",
            _day(date),
            {"programme": programme, "seats": seats},
            _at(recorded),
            f"seed-org-seats-{programme}-{date}",
        )
        for programme, date, seats, recorded in _ALLOCATIONS
    ]


# Staff training (days, topic) per date: 2023 sums to 163, 2024 to 226.
_STAFF_TRAINING = (
    ("2022-05-20", 40, "førstehjelp"),
    ("2022-10-14", 55, "motiverende intervju"),
    ("2023-02-10", 30, "førstehjelp"),
    ("2023-04-21", 45, "motiverende intervju"),
    ("2023-09-29", 28, "HMS"),
    ("2023-11-24", 60, "IPS og jobbspesialister"),
    ("2024-02-16", 18, "førstehjelp"),
    ("2024-04-26", 64, "motiverende intervju"),
    ("2024-06-14", 48, "veiledning"),
    ("2024-09-27", 36, "fagdag AFT"),
    ("2024-11-22", 60, "IPS og jobbspesialister"),
)
# (date, programme, category) of each complaint; the one on 2024-09-12 is retracted.
_COMPLAINTS = (
    ("2023-03-14", "AFT", "service"),
    ("2023-10-30", None, "conduct"),
    ("2024-05-21", "VTA", "service"),
    ("2024-09-12", "AFT", "privacy"),
)
_RETRACTED_COMPLAINT = "2024-09-12"
# Summer and Christmas closures of every programme (from, until, recorded on).
_CLOSURES = (
    ("2022-07-11", "2022-07-31", "2022-03-15"),
    ("2022-12-24", "2022-12-31", "2022-10-04"),
    ("2023-07-10", "2023-07-30", "2023-03-14"),
    ("2023-12-23", "2023-12-31", "2023-10-03"),
    ("2024-07-08", "2024-07-28", "2024-03-12"),
    ("2024-12-24", "2024-12-31", "2024-10-01"),
)


def seed_organisation_fact_lines() -> list[str]:
    """The organisation facts of events-v1 revision 2, in file order.

    Complaints: two in 2023, one in 2024 (and one on 2024-09-12 registered in error and
    retracted a week later, which must not count); staff training 163 days in 2023 and
    226 in 2024; summer and Christmas closures every year.
    """
    return _dumped(_fact_lines())


def _fact_lines() -> list[dict[str, Any]]:
    lines = []
    for date, days, topic in _STAFF_TRAINING:
        lines.append(
            _line(
                "StaffTrainingRecorded",
                _day(date),
                {"days": days, "topic": topic},
                _at(date, "14:30"),
                f"seed-org-training-{date}",
            )
        )
    for date, programme, category in _COMPLAINTS:
        data = {"category": category} | ({"programme": programme} if programme else {})
        complaint_id = f"seed-org-complaint-{date}"
        lines.append(_line("ComplaintReceived", _day(date), data, _at(date, "11:20"), complaint_id))
        if date == _RETRACTED_COMPLAINT:
            lines.append(
                _line(
                    "FactRetracted",
                    _day(date),
                    {"retracts": complaint_id},
                    _at(date, "11:20") + dt.timedelta(days=7),
                    f"seed-org-retraction-{date}",
                )
            )
    for start, until, recorded in _CLOSURES:
        lines.append(
            _line(
                "ProviderClosed",
                _day(start),
                {"until": until},
                _at(recorded),
                f"seed-org-closed-{start}",
            )
        )
    return _by_recording(lines)


# --- the participants' lines -------------------------------------------------------------

_RANK = {  # the order of a journey's events on one day
    "ParticipantReferred": 0,
    "Waitlisted": 1,
    "PlacementStarted": 2,
    "PercentageChanged": 3,
    "HospiteringStarted": 4,
    "CourseStarted": 5,
    "CourseCompleted": 6,
    "SurveyAnswered": 7,
    "HospiteringEnded": 8,
    "ReferralWithdrawn": 9,
    "ParticipantExited": 9,
}
_GENDERS = ("male", "female", "male", "female", "male", None, "female", "male", "female", "male")
_MUNICIPALITIES = ("Ullensaker", "Nannestad", "Eidsvoll", "Gjerdrum", "Nes", "Hurdal", None)
_DEPARTMENTS = {
    "AFT": ("produksjon", "kantine", "vaskeri", "butikk", None),
    "VTA": ("snekkerverksted", "vaskeri", "gartneri", "montasje", None),
}


def _birth_year(first: _Journey) -> int:
    """Aged 19-58 at the first referral (VTA 19-43, so that nobody is past 67 in 2024)."""
    age = 19 + (7 * first.person) % (25 if first.programme == "VTA" else 40)
    return first.referred.year - age


def _referral_data(journey: _Journey, birth_year: int) -> dict[str, Any]:
    person = journey.person
    data: dict[str, Any] = {"programme": journey.programme}
    gender = "other" if person % 53 == 0 else _cycle(_GENDERS, person)
    if gender is not None:
        data["gender"] = gender
    if person % 17:
        data["birth_year"] = birth_year
    municipality = _cycle(_MUNICIPALITIES, person)
    if municipality is not None:
        data["municipality"] = municipality
        if person % 4:
            data["referred_by"] = f"Nav {municipality}"
    return data


def _journey_events(journey: _Journey, birth_year: int) -> list[_Dated]:
    referral = _referral_data(journey, birth_year)
    events = [_Dated(journey.referred, "ParticipantReferred", referral)]
    if journey.waitlisted is not None:
        events.append(_Dated(journey.waitlisted, "Waitlisted"))
    if journey.withdrawn is not None:
        reason = {"reason": journey.reason} if journey.reason else None
        events.append(_Dated(journey.withdrawn, "ReferralWithdrawn", reason))
    if journey.placed is not None:
        data: dict[str, Any] = {}
        if journey.percentage is not None:
            data["percentage"] = journey.percentage
        department = _cycle(_DEPARTMENTS[journey.programme], journey.person)
        if department is not None:
            data["department"] = department
        events.append(_Dated(journey.placed, "PlacementStarted", data))
    events += journey.extras
    if journey.exited is not None:
        assert journey.outcome is not None
        first_outcome = "unknown" if journey.corrected_on else journey.outcome
        events.append(_Dated(journey.exited, "ParticipantExited", {"outcome": first_outcome}))
    return sorted(events, key=lambda event: (event.date, _RANK[event.type]))


def _participant_lines(journeys: list[_Journey]) -> list[dict[str, Any]]:
    by_person: dict[int, list[_Journey]] = {}
    for journey in sorted(journeys, key=lambda j: (j.referred, j.person)):
        by_person.setdefault(journey.person, []).append(journey)
    lines = []
    for number, (person, person_journeys) in enumerate(by_person.items(), start=1):
        key, birth_year = f"S-{number:04d}", _birth_year(person_journeys[0])
        stream: list[dict[str, Any]] = []
        previous: dt.datetime | None = None
        for journey in person_journeys:
            events: list[tuple[_Dated, dt.datetime | None]] = [
                (event, None) for event in _journey_events(journey, birth_year)
            ]
            if journey.corrected_on is not None and journey.exited is not None:
                correction = _Dated(journey.exited, "ExitCorrected", {"outcome": journey.outcome})
                at = dt.datetime.combine(journey.corrected_on, dt.time(10, 15), dt.UTC)
                events.append((correction, at))
            for event, recorded_at in events:
                line = _participant_line(key, len(stream) + 1, event, person, previous, recorded_at)
                stream.append(line)
                previous = _recorded(line)
        lines += stream
    return lines


def _participant_line(
    key: str,
    index: int,
    event: _Dated,
    person: int,
    previous: dt.datetime | None,
    at: dt.datetime | None = None,
) -> dict[str, Any]:
    """The ``index``-th line of a stream, recorded at ``at`` or on the working day of its date.

    Exits are often registered a day or two late; a stream's recording times never go
    back, so an event is never recorded before the one before it.
    """
    if at is None:
        late = person % 3 if event.type == "ParticipantExited" else 0
        at = dt.datetime.combine(event.date, dt.time(8), dt.UTC) + dt.timedelta(
            days=late, minutes=(37 * person) % 480
        )
    if previous is not None and at <= previous:
        at = previous + dt.timedelta(minutes=1)
    return _line(event.type, event.date, event.data, at, f"seed-{key}-{index:03d}", key)


def _recorded(line: dict[str, Any]) -> dt.datetime:
    return dt.datetime.fromisoformat(str(line["recorded_at"]))


def _by_recording(lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The file order: by ``recorded_at``, a stream's events keeping their order."""
    return sorted(lines, key=lambda line: str(line["recorded_at"]))


def _dumped(lines: Iterable[dict[str, Any]]) -> list[str]:
    return [json.dumps(line, ensure_ascii=False, separators=(",", ":")) for line in lines]


# --- the whole history -------------------------------------------------------------------


def _seed_journeys() -> list[_Journey]:
    people = _People()
    aft = _aft_journeys(people)
    vta = _vta_journeys(people)
    _vta_hospitering(vta)
    journeys = aft + vta.journeys
    _aft_courses(journeys)
    # The one VTA worker in the computer room in 2024.
    _take_course(vta.workers[7], _CAREER, SEED_YEAR, 2)
    _twice_a_year(journeys, "AFT", "user", (4, 10), _USER_SCORES, 25)
    _twice_a_year(journeys, "VTA", "vta_user", (5, 11), _VTA_USER_SCORES, 15)
    _exit_surveys(journeys)
    _reentries(journeys, vta.new_starts[_VTA_FROM_AFT])
    return journeys


def seed_history_lines(*, with_facts: bool = True) -> list[str]:
    """The seed history as events-v1 lines, with ids and ``recorded_at``, in file order.

    ``with_facts=False`` leaves out the organisation facts of events-v1 revision 2
    (``seed_organisation_fact_lines()``), for a store that does not know them yet.
    """
    lines = _participant_lines(_seed_journeys()) + _allocation_lines()
    if with_facts:
        lines += _fact_lines()
    return _dumped(_by_recording(lines))


if __name__ == "__main__":  # python tests/seed_history.py [--without-facts] > seed.jsonl
    import sys

    for text in seed_history_lines(with_facts="--without-facts" not in sys.argv[1:]):
        print(text)

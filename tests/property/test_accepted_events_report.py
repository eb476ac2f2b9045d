"""Whatever numbers an import accepts, every report on them is computed, with finite figures.

Events cannot be deleted: one accepted number that made a report overflow would break
every report of its organisation for good. So the importer is offered any JSON number
where events-v1 has one (seats, score, scale_max, percentage), near zero, near the
float limit and beyond; whatever it takes must leave each report computable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.service import Orbit
from orbit_domain.period import Period
from orbit_domain.weighting import Weighting
from property_support import memory_store, store_examples

JSON_NUMBERS = (
    st.floats(allow_nan=False, allow_infinity=False)
    | st.floats(min_value=0, max_value=2e5)
    | st.integers(-(10**30), 10**30)
    | st.sampled_from((5e-324, 1e-300, 100_000, 1_000, 1.7976931348623157e308, 10**400))
)
DAYS = st.integers(0, 3 * 365).map(lambda offset: dt.date(2023, 1, 1) + dt.timedelta(days=offset))
START = [
    {"type": "ParticipantReferred", "participant": "P-1", "date": "2023-01-02",
     "data": {"programme": "AFT"}},
    {"type": "PlacementStarted", "participant": "P-1", "date": "2023-01-03"},
]  # fmt: skip


@st.composite
def number_lines(draw: st.DrawFn) -> dict[str, Any]:
    """An allocation, a survey answer or a percentage change with any numbers."""
    day = draw(DAYS).isoformat()
    kind = draw(st.sampled_from(("allocation", "survey", "percentage")))
    if kind == "allocation":
        programme = draw(st.sampled_from(("AFT", "VTA")))
        data = {"programme": programme, "seats": draw(JSON_NUMBERS)}
        return {"type": "SeatsAllocated", "date": day, "data": data}
    participant = {"participant": "P-1", "date": day}
    if kind == "survey":
        data = {"survey": "user", "score": draw(JSON_NUMBERS), "scale_max": draw(JSON_NUMBERS)}
        return {"type": "SurveyAnswered", **participant, "data": data}
    return {"type": "PercentageChanged", **participant, "data": {"percentage": draw(JSON_NUMBERS)}}


def _numbers(value: object) -> list[float]:
    if isinstance(value, dict):
        return [number for item in value.values() for number in _numbers(item)]
    if isinstance(value, list):
        return [number for item in value for number in _numbers(item)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [float(value)]
    return []


def _import_each(orbit: Orbit, lines: list[dict[str, Any]]) -> int:
    """Each line on its own, in date order (the journey rules want that); how many stored."""
    stored = 0
    for obj in sorted(lines, key=lambda obj: obj["date"]):
        with contextlib.suppress(ImportRejectedError):
            stored += orbit.import_lines([json.dumps(obj)]).stored
    return stored


@store_examples
@given(st.lists(number_lines(), min_size=1, max_size=8))
def test_every_report_is_computable_whatever_numbers_the_import_accepted(
    lines: list[dict[str, Any]],
) -> None:
    with memory_store([json.dumps(obj) for obj in START]) as orbit:
        _import_each(orbit, lines)
        reports = [
            orbit.report(period, weighting=weighting)
            for period in (
                Period.year(2024),
                Period(dt.date(2023, 1, 1), dt.date(2025, 12, 31)),
            )
            for weighting in Weighting
        ]
        reports.append(orbit.report_all_organisations(Period.year(2025)))

    for report in reports:
        figures = report.to_json_dict()
        json.dumps(figures, allow_nan=False)  # report-v1 is plain JSON: no NaN or Infinity
        assert all(math.isfinite(number) for number in _numbers(figures))

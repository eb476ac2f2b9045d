"""orbit's interval-arithmetic projections agree with the naive day-by-day reference.

Both compute every report-v1 figure; they are compared on generated histories for random
periods, knowledge times and both weightings, numbers within 1e-9.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from hypothesis import given

from orbit_domain.history import Recorded
from orbit_domain.period import Period
from orbit_domain.projections import build_report
from orbit_domain.weighting import Weighting
from reference_report import reference_report
from strategies import histories, known_ats, periods, weightings


def differences(actual: Any, expected: Any, path: str = "") -> list[str]:
    """Where two JSON values differ, as ``path: actual != expected`` lines."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if actual.keys() != expected.keys():
            return [f"{path}: keys {sorted(actual)} != {sorted(expected)}"]
        return [
            d for key in expected for d in differences(actual[key], expected[key], f"{path}/{key}")
        ]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(actual) != len(expected):
            return [f"{path}: {len(actual)} entries != {len(expected)}"]
        return [
            d
            for i, pair in enumerate(zip(actual, expected, strict=True))
            for d in differences(*pair, f"{path}[{i}]")
        ]
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers):
        if math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-9):
            return []
    elif actual == expected:
        return []
    return [f"{path}: {actual!r} != {expected!r}"]


@given(histories(), periods(), known_ats, weightings)
def test_build_report_agrees_with_the_day_by_day_reference(
    history: list[Recorded], period: Period, known_at: dt.datetime | None, weighting: Weighting
) -> None:
    report = build_report(history, period, known_at=known_at, weighting=weighting).to_json_dict()
    del report["fingerprint"]
    expected = reference_report(
        history, period.start, period.end, known_at, nav_weighting=weighting is Weighting.NAV
    )

    assert differences(report, expected) == []

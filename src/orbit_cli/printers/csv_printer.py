"""``--format csv``: one row per figure and per month, ready for a spreadsheet's pivot table.

Columns ``programme,metric,period,value``. ``metric`` is the report-v1 key path joined
with dots (``exits_by_outcome.vto``, ``courses.by_course.forklift.starts``); ``period``
is the report's ``from..until`` for period figures and ``YYYY-MM`` for the monthly seat
rows (metrics ``seat_usage.allocated`` and ``seat_usage.used``). A null figure (a rate
without exits, say) is an empty value.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

HEADER = ("programme", "metric", "period", "value")


def report_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    period = f"{report['period']['from']}..{report['period']['until']}"
    for programme, figures in report["programmes"].items():
        for metric, month, value in _rows(figures):
            writer.writerow((programme, metric, month or period, _cell(value)))
    return out.getvalue()


def _rows(figures: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str | None, Any]]:
    for key, value in figures.items():
        metric = f"{prefix}{key}"
        if metric == "seat_usage.months":
            for month in value:
                yield "seat_usage.allocated", month["month"], month["allocated"]
                yield "seat_usage.used", month["month"], month["used"]
        elif isinstance(value, dict):
            yield from _rows(value, f"{metric}.")
        else:
            yield metric, None, value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else repr(value)
    return str(value)

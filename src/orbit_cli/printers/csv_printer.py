"""``--format csv``: one row per figure and per month, ready for a spreadsheet's pivot table.

Columns ``programme,metric,period,value``. ``metric`` is the report-v1 key path joined
with dots (``exits_by_outcome.vto``, ``courses.by_course.forklift.starts``); ``period``
is the report's ``from..until`` for period figures and ``YYYY-MM`` for the monthly seat
rows (metrics ``seat_usage.allocated`` and ``seat_usage.used``). Spans have a row each,
with their own ``from..until`` as period: ``seat_usage.allocation`` (the seats) and
``organisation.closure`` (the days closed; ``programme`` is the closed programme, empty
for the whole organisation). The organisation's figures have an empty ``programme``.
A null figure (a rate without exits, say) is an empty value.

The report's own data come first, as rows with an empty ``programme``: metrics
``fingerprint``, ``known_at`` (empty: every recorded event) and ``events_replayed``, so
that every CSV carries the fingerprint of the events behind it as a plain row any CSV
reader or spreadsheet takes (docs/audit.md).

A comparison (``--compare-to``) adds the columns ``compared_period``,
``compared_value`` and ``difference`` (rates and percentages in percentage points).
Figures pair up by programme and metric, months in order; spans do not pair, so each
period's spans have rows of their own with the other side's cells empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from typing import Any, NamedTuple

HEADER = ("programme", "metric", "period", "value")
COMPARISON_HEADER = (*HEADER, "compared_period", "compared_value", "difference")
SPAN_METRICS = frozenset({"seat_usage.allocation", "organisation.closure"})


class CsvRow(NamedTuple):
    programme: str
    metric: str
    period: str
    value: Any


def report_csv(report: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if "comparison" in report:
        writer.writerow(COMPARISON_HEADER)
        writer.writerows(_comparison_rows(report))
    else:
        writer.writerow(HEADER)
        for row in report_rows(report):
            writer.writerow((*row[:3], _cell(row.value)))
    return out.getvalue()


def report_rows(report: dict[str, Any]) -> Iterator[CsvRow]:
    """The report's own data, then every figure, as rows."""
    period = _period(report)
    yield CsvRow("", "fingerprint", period, report["fingerprint"])
    yield CsvRow("", "known_at", period, report["known_at"])
    yield CsvRow("", "events_replayed", period, report["events_replayed"])
    yield from figure_rows(report, period)


def figure_rows(report: dict[str, Any], period: str) -> Iterator[CsvRow]:
    """Every figure of the ``programmes`` and the ``organisation`` of a report (or of
    its differences, which have the same shape)."""
    for programme, figures in report["programmes"].items():
        for metric, own_period, value in _rows(figures):
            yield CsvRow(programme, metric, own_period or period, value)
    organisation = report.get("organisation")
    if organisation is not None:
        for metric, own_period, value in _rows(organisation, "organisation."):
            if metric == "organisation.closures":
                for closure in value or ():
                    span = f"{closure['from']}..{closure['until']}"
                    days = _days(closure["from"], closure["until"])
                    programme = closure["programme"] or ""
                    yield CsvRow(programme, "organisation.closure", span, days)
            else:
                yield CsvRow("", metric, own_period or period, value)


def _rows(figures: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, str | None, Any]]:
    for key, value in figures.items():
        metric = f"{prefix}{key}"
        if metric == "seat_usage.months":
            for month in value or ():
                yield "seat_usage.allocated", month["month"], month["allocated"]
                yield "seat_usage.used", month["month"], month["used"]
        elif metric == "seat_usage.allocations":
            for span in value or ():
                yield "seat_usage.allocation", f"{span['from']}..{span['until']}", span["seats"]
        elif isinstance(value, dict):
            yield from _rows(value, f"{metric}.")
        else:
            yield metric, None, value


def _comparison_rows(report: dict[str, Any]) -> Iterator[tuple[str, ...]]:
    comparison = report["comparison"]
    other = comparison["report"]
    other_rows = _keyed(report_rows(other))
    changes = _keyed(figure_rows(comparison["differences"], _period(report)))
    for key, row in _keyed(report_rows(report)).items():
        theirs = other_rows.pop(key, None)
        change = changes.get(key)
        yield (
            *row[:3],
            _cell(row.value),
            "" if theirs is None else theirs.period,
            "" if theirs is None else _cell(theirs.value),
            "" if change is None else _cell(change.value),
        )
    for key, theirs in other_rows.items():
        change = changes.get(key)
        yield (
            theirs.programme,
            theirs.metric,
            "",
            "",
            theirs.period,
            _cell(theirs.value),
            "" if change is None else _cell(change.value),
        )


def _keyed(rows: Iterator[CsvRow]) -> dict[tuple[str, str, int | str], CsvRow]:
    """Rows by programme, metric and which of that metric's rows it is (months pair up
    in order); a span by its own period, so that spans never pair."""
    keyed: dict[tuple[str, str, int | str], CsvRow] = {}
    seen: Counter[tuple[str, str]] = Counter()
    for row in rows:
        if row.metric in SPAN_METRICS:
            keyed[row.programme, row.metric, row.period] = row
            continue
        keyed[row.programme, row.metric, seen[row.programme, row.metric]] = row
        seen[row.programme, row.metric] += 1
    return keyed


def _period(report: dict[str, Any]) -> str:
    return f"{report['period']['from']}..{report['period']['until']}"


def _days(first: str, last: str) -> int:
    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e6 else repr(value)
    return str(value)

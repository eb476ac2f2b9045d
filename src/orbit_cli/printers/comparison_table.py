"""``--format table`` of a comparison (``--compare-to``): two periods side by side.

The same lines as one report's table (:mod:`orbit_cli.printers.table_printer`), each
with the main period's value, the compared period's and the difference; differences of
rates and percentages are in percentage points. The seat months pair up in order when
both periods have as many; spans (the allocation, closures) are listed per period.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from orbit_cli.printers.table_printer import (
    ALLOCATED_BEFORE,
    LABEL_WIDTH,
    Row,
    allocation_lines,
    closure_lines,
    header_lines,
    number,
    organisation_rows,
    programme_order,
    programme_rows,
    signed,
    title_lines,
    value_at,
)

_COLUMN = 10


def comparison_table(report: dict[str, Any]) -> str:
    return "\n".join(_lines(report)) + "\n"


def _lines(report: dict[str, Any]) -> Iterator[str]:
    other = report["comparison"]["report"]
    differences = report["comparison"]["differences"]
    main_name, other_name = _column_names(report["period"], other["period"])
    yield from header_lines(report)
    yield f"compared with {other['period']['from']} to {other['period']['until']}"
    yield f"  events replayed  {number(other['events_replayed'])}"
    yield f"  fingerprint      {other['fingerprint']}"
    if (main_name, other_name) == ("A", "B"):
        yield ""
        yield f"  A = {_period(report['period'])}, B = {_period(other['period'])}"
    heading = f"  {'':<{LABEL_WIDTH}}{main_name:>{_COLUMN}}{other_name:>{_COLUMN}}"
    heading += f"{'change':>{_COLUMN}}"
    programmes = sorted(
        report["programmes"].keys() | other["programmes"].keys(), key=programme_order
    )
    for programme in programmes:
        main_figures = report["programmes"].get(programme, {})
        other_figures = other["programmes"].get(programme, {})
        changes = differences.get("programmes", {}).get(programme, {})
        yield ""
        yield from title_lines(programme)
        yield heading
        rows = [*programme_rows(programme, _either(main_figures, other_figures)), *_SEAT_ROWS]
        yield from _rows(rows, main_figures, other_figures, changes)
        yield ""
        yield from _month_lines(main_figures, other_figures, changes, (main_name, other_name))
        for name, figures in ((main_name, main_figures), (other_name, other_figures)):
            title = f"Allocation in {name} (tildelte rammer)"
            yield from allocation_lines(figures.get("seat_usage", {}), title, baseline=False)
    if "organisation" in report or "organisation" in other:
        main_block = report.get("organisation", {})
        other_block = other.get("organisation", {})
        yield ""
        yield "Organisation"
        yield "============"
        yield heading
        rows = list(organisation_rows(_either(main_block, other_block)))
        yield from _rows(rows, main_block, other_block, differences.get("organisation", {}))
        for name, block in ((main_name, main_block), (other_name, other_block)):
            yield f"  {name}:"
            yield from closure_lines(block.get("closures", []))


_SEAT_ROWS = (
    Row(
        "Seats allocated, månedsverk (tildelte rammer)", ("seat_usage", "allocated_total"), "number"
    ),
    Row("Seats used, månedsverk", ("seat_usage", "used_total"), "number"),
    Row("Utilisation", ("seat_usage", "utilisation"), "share"),
    Row(ALLOCATED_BEFORE, ("seat_usage", "allocated_before"), "amount"),
)


def _rows(
    rows: Iterable[Row],
    main: Mapping[str, Any],
    other: Mapping[str, Any],
    changes: Mapping[str, Any],
) -> Iterator[str]:
    for row in rows:
        if not row.path:
            yield f"  {row.label}"
            continue
        values = (
            number(value_at(main, row.path), row.kind),
            number(value_at(other, row.path), row.kind),
            signed(value_at(changes, row.path), row.kind),
        )
        yield f"  {row.label:<{LABEL_WIDTH}}" + "".join(f"{v:>{_COLUMN}}" for v in values)


def _month_lines(
    main: Mapping[str, Any],
    other: Mapping[str, Any],
    changes: Mapping[str, Any],
    names: tuple[str, str],
) -> Iterator[str]:
    """Allocated and used per month, paired in order: the first month of one period
    with the first of the other."""
    months = value_at(changes, ("seat_usage", "months"))
    if not months:
        return
    main_months = main["seat_usage"]["months"]
    other_months = other["seat_usage"]["months"]
    yield "Seat usage in månedsverk, month by month"
    yield f"  {'':<9}{'allocated':^{3 * _COLUMN}}{'used':^{3 * _COLUMN}}".rstrip()
    columns = (*names, "change") * 2
    yield f"  {'month':<9}" + "".join(f"{c:>{_COLUMN}}" for c in columns)
    for one, two, change in zip(main_months, other_months, months, strict=True):
        values = (
            number(one["allocated"], "number"),
            number(two["allocated"], "number"),
            signed(change["allocated"], "number"),
            number(one["used"], "number"),
            number(two["used"], "number"),
            signed(change["used"], "number"),
        )
        yield f"  {one['month']:<9}" + "".join(f"{v:>{_COLUMN}}" for v in values)


def _either(main: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """The main figures, with what only the other period has added and a zero count
    replaced by the other's: the lines to print are those either period needs."""
    either = dict(other) | dict(main)
    for key, value in main.items():
        theirs = other.get(key)
        if isinstance(value, Mapping) and isinstance(theirs, Mapping):
            either[key] = _either(value, theirs)
        elif value in (0, None) and theirs not in (0, None):
            either[key] = theirs
    return either


def _column_names(main: Mapping[str, str], other: Mapping[str, str]) -> tuple[str, str]:
    """Calendar years by their number; other periods as A and B."""
    years = (_year(main), _year(other))
    return (years[0], years[1]) if years[0] and years[1] else ("A", "B")


def _year(period: Mapping[str, str]) -> str:
    first, last = period["from"], period["until"]
    whole = first.endswith("-01-01") and last.endswith("-12-31") and first[:4] == last[:4]
    return first[:4] if whole else ""


def _period(period: Mapping[str, str]) -> str:
    return f"{period['from']} to {period['until']}"

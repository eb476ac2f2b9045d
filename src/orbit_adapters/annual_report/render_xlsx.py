"""The annual report as a workbook for analysts: a sheet per section, numbers as numbers.

Each figure is written as the rounded number the document prints, with a number
format (whole numbers, decimals, percent, kroner), never as text; each chart of the
document becomes a native chart over the cells it plots.
"""

from __future__ import annotations

import io
import re
import sys
from decimal import Decimal
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from orbit_adapters.annual_report.model import AnnualReport, Cell, Chart, Kind, Section, Table

_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
MAX_SHEET_NAME = 31


def render_xlsx(report: AnnualReport) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    # A fixed creation time: the same document gives the same bytes.
    workbook.set_properties(
        {
            "title": report.title,
            "company": report.organisation_name or "",
            "created": report.made_at.replace(tzinfo=None),
            "comments": f"orbit {report.orbit_version}: {report.command}",
        }
    )
    formats = _Formats(workbook, report.language)
    for section in report.sections:
        _write_section(workbook, formats, section)
    workbook.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, workbook: Workbook, language: str) -> None:
        kroner = '#,##0" kr"' if language == "nb" else '"NOK "#,##0'
        self.title = workbook.add_format({"bold": True, "font_size": 14})
        self.caption = workbook.add_format({"bold": True})
        self.header = workbook.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.note = workbook.add_format({"italic": True, "font_color": "#555555"})
        self.by_kind = {
            Kind.TEXT: workbook.add_format({}),
            Kind.COUNT: workbook.add_format({"num_format": "#,##0"}),
            Kind.DECIMAL: workbook.add_format({"num_format": "#,##0.0####"}),
            Kind.PERCENT: workbook.add_format({"num_format": "0%"}),
            Kind.KRONER: workbook.add_format({"num_format": kroner}),
            Kind.CHANGE: workbook.add_format({"num_format": "+#,##0.0##;-#,##0.0##;0"}),
        }
        self.total_by_kind = {
            kind: workbook.add_format({"num_format": fmt.num_format, "bold": True, "top": 1})
            for kind, fmt in self.by_kind.items()
        }


def sheet_name(section: Section) -> str:
    return _NOT_IN_SHEET_NAMES.sub("-", section.sheet)[:MAX_SHEET_NAME]


def _write_section(workbook: Workbook, formats: _Formats, section: Section) -> None:
    sheet = workbook.add_worksheet(sheet_name(section))
    sheet.set_column(0, 0, 48)
    sheet.set_column(1, 8, 16)
    sheet.write_string(0, 0, f"{section.number} {section.title}", formats.title)
    row = 2
    if section.omitted:
        sheet.write_string(row, 0, section.omitted, formats.note)
        row += 2
    for sentence in section.sentences:
        text = f"{sentence.text} {sentence.code}" if sentence.code else sentence.text
        sheet.write_string(row, 0, text)
        row += 1
    row += 1
    for table in section.tables:
        row = _write_table(sheet, formats, table, row) + 1
    for chart in section.charts:
        row = _write_chart(workbook, sheet, formats, chart, row) + 1


def _write_table(sheet: Worksheet, formats: _Formats, table: Table, row: int) -> int:
    sheet.write_string(row, 0, table.caption, formats.caption)
    row += 1
    for column, heading in enumerate(table.columns):
        sheet.write_string(row, column, heading, formats.header)
    row += 1
    for index, cells in enumerate(table.rows):
        total = index >= len(table.rows) - table.total_rows
        for column, cell in enumerate(cells):
            _write_cell(sheet, formats, row, column, cell, total=total)
        row += 1
    return row


def _write_cell(
    sheet: Worksheet, formats: _Formats, row: int, column: int, cell: Cell, *, total: bool
) -> None:
    cell_format = (formats.total_by_kind if total else formats.by_kind)[cell.kind]
    if not cell.text:
        sheet.write_blank(row, column, None, cell_format)
    elif (
        cell.kind is Kind.TEXT
        or cell.value is None
        or isinstance(cell.value, str)
        or not _fits_a_float(cell.value)  # kroner of seats near the float limit (old stores)
    ):
        sheet.write_string(row, column, cell.text, cell_format)
    else:
        sheet.write_number(row, column, _number(cell.value), cell_format)


def _fits_a_float(value: int | Decimal) -> bool:
    return -sys.float_info.max <= value <= sys.float_info.max


def _number(value: int | Decimal) -> float | int:
    return value if isinstance(value, int) else float(value)


def _write_chart(
    workbook: Workbook, sheet: Worksheet, formats: _Formats, chart: Chart, row: int
) -> int:
    """The chart's numbers as a small table, and a native chart drawn from them."""
    name = sheet.get_name()
    sheet.write_string(row, 0, chart.title, formats.caption)
    header = row + 1
    for column, series in enumerate(chart.series, start=1):
        sheet.write_string(header, column, series.name, formats.header)
    value_format = formats.by_kind[Kind.PERCENT if chart.unit == "percent" else Kind.DECIMAL]
    for offset, category in enumerate(chart.categories, start=1):
        sheet.write_string(header + offset, 0, category)
        for column, series in enumerate(chart.series, start=1):
            sheet.write_number(
                header + offset, column, float(series.values[offset - 1]), value_format
            )
    last = header + len(chart.categories)
    native: Any = workbook.add_chart({"type": "column" if chart.kind == "bar" else "line"})
    for column, _series in enumerate(chart.series, start=1):
        native.add_series(
            {
                "name": [name, header, column],
                "categories": [name, header + 1, 0, last, 0],
                "values": [name, header + 1, column, last, column],
                "fill": {"color": ("#0072B2", "#E69F00")[(column - 1) % 2]},
                "line": {"color": ("#0072B2", "#E69F00")[(column - 1) % 2]},
                **(
                    {
                        "pattern": {
                            "pattern": "wide_upward_diagonal",
                            "fg_color": "#E69F00",
                            "bg_color": "#FFFFFF",
                        }
                    }
                    if chart.kind == "bar" and column == 2
                    else {}
                ),
            }
        )
    native.set_title({"name": chart.title, "name_font": {"size": 11}})
    native.set_legend({"position": "bottom"})
    if chart.unit == "percent":
        native.set_y_axis({"num_format": "0%"})
    native.set_size({"width": 640, "height": 300})
    sheet.insert_chart(header, len(chart.series) + 2, native)
    if chart.source:
        sheet.write_string(last + 1, 0, chart.source, formats.note)
    return max(last + 2, header + 16)

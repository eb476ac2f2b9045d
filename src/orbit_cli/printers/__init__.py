"""Ways to print a report-v1 object: a terminal table, a tidy CSV, or the JSON itself."""

# ruff: noqa: PLC0415 (a command imports only the printer it uses)

from __future__ import annotations

from collections.abc import Callable
from typing import Any

FORMATS = ("csv", "json", "table")
"""The ``--format`` choices."""

Printer = Callable[[dict[str, Any]], str]


def printer(output_format: str) -> Printer:
    """The printer of one of ``FORMATS``; a command imports only the one it prints with."""
    if output_format == "csv":
        from orbit_cli.printers.csv_printer import report_csv

        return report_csv
    if output_format == "json":
        from orbit_cli.printers.json_printer import report_json

        return report_json
    if output_format == "table":
        from orbit_cli.printers.table_printer import report_table

        return report_table
    raise ValueError(f"no printer for {output_format!r}")

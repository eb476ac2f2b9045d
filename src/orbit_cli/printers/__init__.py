"""Ways to print a report-v1 object: a terminal table, a tidy CSV, or the JSON itself."""

from orbit_cli.printers.csv_printer import report_csv
from orbit_cli.printers.json_printer import report_json
from orbit_cli.printers.table_printer import report_table

__all__ = ["report_csv", "report_json", "report_table"]

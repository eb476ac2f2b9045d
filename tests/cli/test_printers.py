"""The three printers of a report-v1 object (and of a comparison of two): every figure of
revision 2, the organisation block when the report has it, one style of numbers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest

from orbit_cli.printers import printer
from orbit_domain.comparison import with_comparison
from orbit_domain.events import (
    ParticipantEvent,
    ParticipantExited,
    ParticipantReferred,
    PlacementStarted,
    SeatsAllocated,
    Waitlisted,
)
from orbit_domain.history import Recorded
from orbit_domain.outcomes import Outcome
from orbit_domain.period import Period
from orbit_domain.projections import build_report


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")


def _allocated(day: str, seats: float) -> Recorded:
    return Recorded(None, _at(day), SeatsAllocated(dt.date.fromisoformat(day), "VTA", seats))


def _journey(participant: str, waitlisted: str, placed: str, exited: str) -> list[Recorded]:
    events: list[ParticipantEvent] = [
        ParticipantReferred(dt.date.fromisoformat(waitlisted), programme="VTA"),
        Waitlisted(dt.date.fromisoformat(waitlisted)),
        PlacementStarted(dt.date.fromisoformat(placed)),
        ParticipantExited(dt.date.fromisoformat(exited), outcome=Outcome.WORK_SUBSIDISED),
    ]
    return [Recorded(participant, _at(event.date.isoformat()), event) for event in events]


HISTORY = [
    _allocated("2023-03-01", 40),
    _allocated("2024-01-01", 46),
    _allocated("2024-07-01", 51),
    _allocated("2024-11-01", 53),
    *_journey("P-1", "2023-10-01", "2024-02-01", "2024-09-30"),
    *_journey("P-2", "2023-05-01", "2023-06-01", "2023-12-31"),
]
ORGANISATION = {
    "complaints": 3,
    "complaints_by_programme": {"VTA": 2, "none": 1},
    "staff_training_days": 226.5,
    "closures": [
        {"from": "2024-07-08", "until": "2024-07-28", "programme": None},
        {"from": "2024-12-23", "until": "2024-12-31", "programme": "VTA"},
    ],
}


def report_of(year: int, *, organisation: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report of ``year``; with ``organisation``, that block in place of the computed
    one; with ``organisation={}``, without the block, as a report of revision 1."""
    report = build_report(HISTORY, Period.year(year), fingerprint=f"fp{year}").to_json_dict()
    if organisation == {}:
        del report["organisation"]
    elif organisation is not None:
        report["organisation"] = organisation
    return report


def table(report: dict[str, Any]) -> str:
    return printer("table")(report)


def csv_rows(report: dict[str, Any]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(printer("csv")(report))))


class TestTable:
    def test_the_allocation_spans_are_a_small_table_after_the_baseline(self) -> None:
        printed = table(report_of(2024))

        assert re.search(
            r"Allocated before \(tildelte plasser ved periodens start\) +40\n", printed
        )
        assert "  2024-01-01  2024-06-30     182        46        +6\n" in printed
        assert "  2024-07-01  2024-10-31     123        51        +5\n" in printed
        assert "  2024-11-01  2024-12-31      61        53        +2\n" in printed
        assert "  13 extra seats over the period (53 at the end, 40 before)\n" in printed

    def test_each_new_figure_has_a_line(self) -> None:
        printed = table(report_of(2024))

        assert re.search(
            r"Days with a waiting list \(dager med venteliste\) +31   of 366 days", printed
        )
        assert "  Exits by group (fordelt på grupper)\n" in printed
        for group, count in [("work", 1), ("education", 0), ("inactive", 0), ("unknown", 0)]:
            assert re.search(rf"\n    {group} +{count}\n", printed), group

    def test_the_organisation_block_is_printed_when_the_report_has_it(self) -> None:
        without = table(report_of(2024, organisation={}))
        printed = table(report_of(2024, organisation=ORGANISATION))

        assert "Organisation" not in without
        assert printed.startswith(without.rstrip("\n"))
        assert re.search(r"Complaints received \(klager\) +3\n", printed)
        assert re.search(r"\n    VTA +2\n    no programme +1\n", printed)
        assert re.search(r"Staff training days \(kompetanseutvikling\) +226.50\n", printed)
        assert "  2024-07-08  2024-07-28      21  all\n" in printed
        assert "  2024-12-23  2024-12-31       9  VTA\n" in printed

    def test_every_number_has_one_thousands_separator_a_space(self) -> None:
        report = report_of(2024, organisation={**ORGANISATION, "staff_training_days": 1226.0})
        report["events_replayed"] = 1234567
        report["programmes"]["VTA"]["waiting"]["days_with_waiting_list"] = 12345
        for month in report["programmes"]["VTA"]["seat_usage"]["months"]:
            month["allocated"] = 1500.0
        report["programmes"]["VTA"]["seat_usage"]["allocated_total"] = 18000.0
        report["programmes"]["VTA"]["participants_by_gender"]["female"] = 2500

        printed = table(report)

        assert "events replayed  1 234 567\n" in printed
        assert re.search(r"dager med venteliste\) +12 345 ", printed)
        assert re.search(r"  2024-01 +1 500.0 ", printed)
        assert re.search(r"  total +18 000.0 ", printed)
        assert re.search(r"kompetanseutvikling\) +1 226.00\n", printed)
        assert "female 2 500" in printed
        assert not re.search(r"\d,\d\d\d", printed)


class TestCsv:
    def test_the_fingerprint_and_the_reports_data_come_first_as_plain_rows(self) -> None:
        rows = csv_rows(report_of(2024))

        assert [(row["programme"], row["metric"], row["value"]) for row in rows[:3]] == [
            ("", "fingerprint", "fp2024"),
            ("", "known_at", ""),
            ("", "events_replayed", str(len(HISTORY))),
        ]
        assert all(len(row) == 4 and None not in row.values() for row in rows)

    def test_every_new_figure_is_a_row_and_each_allocation_span_one_with_its_days(self) -> None:
        rows = {
            (r["programme"], r["metric"], r["period"]): r["value"]
            for r in csv_rows(report_of(2024))
        }
        year = "2024-01-01..2024-12-31"

        assert rows["VTA", "exits_by_group.work", year] == "1"
        assert rows["VTA", "waiting.days_with_waiting_list", year] == "31"
        assert rows["VTA", "seat_usage.allocated_before", year] == "40"
        assert [
            (period, value)
            for (_, metric, period), value in rows.items()
            if metric == "seat_usage.allocation"
        ] == [
            ("2024-01-01..2024-06-30", "46"),
            ("2024-07-01..2024-10-31", "51"),
            ("2024-11-01..2024-12-31", "53"),
        ]

    def test_the_organisation_block_is_rows_with_closures_by_their_span(self) -> None:
        rows = csv_rows(report_of(2024, organisation=ORGANISATION))
        organisation = [
            (r["programme"], r["metric"], r["period"], r["value"])
            for r in rows
            if r["metric"].startswith("organisation.")
        ]

        year = "2024-01-01..2024-12-31"
        assert organisation == [
            ("", "organisation.complaints", year, "3"),
            ("", "organisation.complaints_by_programme.VTA", year, "2"),
            ("", "organisation.complaints_by_programme.none", year, "1"),
            ("", "organisation.staff_training_days", year, "226.5"),
            ("", "organisation.closure", "2024-07-08..2024-07-28", "21"),
            ("VTA", "organisation.closure", "2024-12-23..2024-12-31", "9"),
        ]


def compared(organisation: bool = False) -> dict[str, Any]:
    block = ORGANISATION if organisation else None
    other = {**ORGANISATION, "complaints": 1, "staff_training_days": 163.5, "closures": []}
    return with_comparison(
        report_of(2024, organisation=block),
        report_of(2023, organisation=other if organisation else None),
    )


class TestComparison:
    def test_the_table_puts_both_years_side_by_side_with_the_change(self) -> None:
        printed = table(compared(organisation=True))

        assert "compared with 2023-01-01 to 2023-12-31\n" in printed
        assert "  fingerprint      fp2024\n" in printed
        assert "  fingerprint      fp2023\n" in printed
        assert re.search(r"\n +2024 +2023 +change\n", printed)
        assert re.search(
            r"Placement rate \(formidlingsprosent\) +100.0 % +100.0 % +0.0 pp\n", printed
        )
        assert re.search(r"Utilisation +[\d.]+ % +[\d.]+ % +[-+][\d.]+ pp\n", printed)
        assert re.search(
            r"Allocated before \(tildelte plasser ved periodens start\) +40 +0 +\+40\n", printed
        )
        assert re.search(
            r"Staff training days \(kompetanseutvikling\) +226.50 +163.50 +\+63.00\n", printed
        )
        assert "Allocation in 2024 (tildelte rammer)" in printed
        assert "Allocation in 2023 (tildelte rammer)" in printed

    def test_other_periods_than_years_are_called_a_and_b(self) -> None:
        main = build_report(HISTORY, Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30)))
        other = build_report(HISTORY, Period(dt.date(2023, 1, 1), dt.date(2023, 6, 30)))

        printed = table(with_comparison(main.to_json_dict(), other.to_json_dict()))

        assert "  A = 2024-01-01 to 2024-06-30, B = 2023-01-01 to 2023-06-30\n" in printed
        assert re.search(r"\n +A +B +change\n", printed)

    def test_the_csv_pairs_each_figure_with_the_other_periods_and_the_difference(self) -> None:
        rows = list(csv.DictReader(io.StringIO(printer("csv")(compared(organisation=True)))))

        assert list(rows[0]) == [
            "programme",
            "metric",
            "period",
            "value",
            "compared_period",
            "compared_value",
            "difference",
        ]
        by_metric = {(r["programme"], r["metric"], r["period"]): r for r in rows}
        fingerprint = by_metric["", "fingerprint", "2024-01-01..2024-12-31"]
        assert (fingerprint["value"], fingerprint["compared_value"]) == ("fp2024", "fp2023")
        complaints = by_metric["", "organisation.complaints", "2024-01-01..2024-12-31"]
        assert (complaints["compared_value"], complaints["difference"]) == ("1", "2")
        january = by_metric["VTA", "seat_usage.allocated", "2024-01"]
        assert (january["compared_period"], january["compared_value"]) == ("2023-01", "0")
        assert january["difference"] == "46"
        spans = [r for r in rows if r["metric"] == "seat_usage.allocation"]
        assert all(bool(r["value"]) != bool(r["compared_value"]) for r in spans)
        assert all(r["difference"] == "" for r in spans)

    def test_a_figure_only_the_other_period_has_gets_its_difference_in_the_csv(self) -> None:
        # complaints_by_programme lists only codes with complaints: a code the main period
        # lacks is 0 there, so its difference (as the JSON and the table give it) is -1.
        other = {**ORGANISATION, "complaints": 1, "complaints_by_programme": {"AFT": 1}}
        report = with_comparison(
            report_of(2024, organisation=ORGANISATION), report_of(2023, organisation=other)
        )
        rows = list(csv.DictReader(io.StringIO(printer("csv")(report))))

        (aft,) = [r for r in rows if r["metric"] == "organisation.complaints_by_programme.AFT"]
        assert (aft["value"], aft["compared_value"], aft["difference"]) == ("", "1", "-1")
        assert (
            report["comparison"]["differences"]["organisation"]["complaints_by_programme"]["AFT"]
            == -1
        )

    @pytest.mark.parametrize("output_format", ["table", "csv", "json"])
    def test_every_format_prints_a_comparison(self, output_format: str) -> None:
        printed = printer(output_format)(compared())

        assert printed.endswith("\n")
        if output_format == "json":
            assert json.loads(printed)["comparison"]["report"]["period"]["from"] == "2023-01-01"


def test_the_table_drops_control_and_bidirectional_characters_of_imported_codes() -> None:
    report = report_of(2024)
    aft = next(iter(report["programmes"].values()))
    aft["courses"]["by_course"]["x\u202eevil\x1b[2J"] = {
        "participants": 1,
        "starts": 1,
        "completions": 0,
    }

    printed = table(report)

    assert "xevil[2J" in printed
    assert not any(character in printed for character in "\u202e\x1b")

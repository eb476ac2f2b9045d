"""Properties of the document's figures over any exits a year can have."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from annual_report_data import GROUPS, sample_report
from hypothesis import given

from orbit_adapters.annual_report import AnnualReport, build_annual_report
from orbit_adapters.annual_report.config import AnnualConfig
from orbit_domain.outcomes import Outcome
from strategies import outcome_counts, placement_targets


def with_aft_exits(outcomes: dict[str, int]) -> dict[str, Any]:
    report = sample_report()
    aft = report["programmes"]["AFT"]
    aft["exits"] = sum(outcomes.values())
    aft["exits_by_outcome"] = outcomes
    groups = dict.fromkeys(("work", "education", "other_active", "inactive", "unknown"), 0)
    for outcome, count in outcomes.items():
        groups[GROUPS[outcome]] += count
    aft["exits_by_group"] = groups
    return report


def build(report: dict[str, Any], target: float = 0.5) -> AnnualReport:
    return build_annual_report(
        report,
        None,
        AnnualConfig(targets={"AFT": Decimal(str(target))}),
        language="nb",
        funding_months=None,
        made_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        orbit_version="0",
        command="orbit",
    )


def aft_table(report: AnnualReport) -> list[tuple[Any, ...]]:
    section = next(section for section in report.sections if section.key == "aft")
    (table,) = section.tables
    return [tuple(cell.value for cell in row) for row in table.rows]


@given(outcome_counts)
def test_the_subtotals_add_up_to_the_exits_and_their_shares_to_100(
    outcomes: dict[str, int],
) -> None:
    rows = aft_table(build(with_aft_exits(outcomes)))

    *by_outcome, placed, rest, total = rows
    exits = sum(outcomes.values())
    assert [row[1] for row in by_outcome] == [outcomes[code] for code in Outcome]  # spec order
    assert placed[1] + rest[1] == total[1] == exits
    if exits:
        assert placed[2] + rest[2] == 1
        exact = Fraction(placed[1], exits)
        assert abs(Fraction(str(placed[2])) - exact) < Fraction(1, 100)


@given(outcome_counts, placement_targets)
def test_the_target_sentence_says_over_or_under_as_the_exact_rate_is(
    outcomes: dict[str, int], target: float
) -> None:
    exits = sum(outcomes.values())
    placed = sum(count for code, count in outcomes.items() if GROUPS[code] in ("work", "education"))

    report = build(with_aft_exits(outcomes), target)

    sentences = {s.key: s.text for section in report.sections for s in section.sentences}
    if exits == 0:
        assert "target_AFT" not in sentences
        return
    sentence = sentences["target_AFT"]
    exact, goal = Fraction(placed, exits), Fraction(str(target))
    expected = "over" if exact > goal else "under" if exact < goal else "akkurat på"
    assert f", {expected} Nav sitt målkrav" in sentence
    printed = re.search(r"hadde ([\d,]+)\u00a0%", sentence)
    assert printed is not None
    if exact != goal:  # a rate that differs from the target never prints as the target
        assert Decimal(printed.group(1).replace(",", ".")) != Decimal(str(target * 100))


@pytest.mark.parametrize(
    ("placed", "rest", "printed"),
    [(999, 1001, "49,95"), (1001, 999, "50,1"), (499, 501, "49,9"), (1, 1, "50")],
)
def test_a_rate_that_rounds_to_the_target_gets_the_decimals_that_tell_them_apart(
    placed: int, rest: int, printed: str
) -> None:
    report = build(with_aft_exits({"work_unsubsidised": placed, "no_active": rest}))

    sentences = {s.key: s.text for section in report.sections for s in section.sentences}
    assert sentences["target_AFT"].startswith(f"AFT hadde {printed}\u00a0% formidling")

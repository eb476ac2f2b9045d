"""``--format table``: the report as an analyst reads it in a terminal.

A summary per programme (with the Norwegian terms of the annual report beside the
English ones), one line per figure, then the monthly seat table (allocated, used,
utilisation) and the allocation's spans; the organisation's facts when the report has
them. Every number is written with a space between thousands (``7 459``).

A figure's line is described once, as a :class:`Row` (its label, where it is in the
report-v1 JSON, what kind of number it is), so that the side-by-side table of a
comparison (:mod:`orbit_cli.printers.comparison_table`) prints the very same lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any, Literal, NamedTuple

from orbit_cli.safe_text import without_hidden

PROGRAMME_NAMES = {
    "AFT": "Arbeidsforberedende trening",
    "VTA": "Varig tilrettelagt arbeid",
}
OUTCOME_LABELS = {
    "work_unsubsidised": "to work (uten lønnstilskudd)",
    "work_subsidised": "to work with wage subsidy",
    "vto": "to VTA in ordinary work (VTO)",
    "education_self_funded": "to education, self-funded",
    "education_nav_funded": "to education, funded by Nav",
    "other_active": "to another active solution",
    "treatment": "to treatment or rehabilitation",
    "pension": "applied for pension",
    "no_active": "no active solution",
    "unknown": "outcome unknown",
}
GROUP_LABELS = {
    "work": "work",
    "education": "education",
    "other_active": "another active solution",
    "inactive": "inactive",
    "unknown": "unknown",
}
ALLOCATED_BEFORE = "Allocated before (tildelte plasser ved periodens start)"
NAV_PLACEMENT_TARGET = 0.5
LABEL_WIDTH = 56

Kind = Literal["count", "share", "percent", "number", "amount"]
"""How a figure is written: a whole number, a share as a percentage, a percentage, a
number with two decimals, or an amount (seats, a scale) whole when it is whole."""


class Row(NamedTuple):
    """One figure's line: ``path`` leads to it in the programme's (or organisation's)
    JSON object; ``detail`` is the single report's note beside the value."""

    label: str
    path: tuple[str, ...]
    kind: Kind = "count"
    detail: str = ""


def report_table(report: dict[str, Any]) -> str:
    """The report for a terminal. Codes and names from the events (courses, surveys) may
    hold control or bidirectional characters, which a terminal must not receive."""
    if "comparison" in report:
        # Imported here: a single report does not load the comparison's printer.
        from orbit_cli.printers.comparison_table import comparison_table  # noqa: PLC0415

        return without_hidden(comparison_table(report))
    return without_hidden("\n".join(_report_lines(report)) + "\n")


def _report_lines(report: dict[str, Any]) -> Iterator[str]:
    yield from header_lines(report)
    if not report["programmes"]:
        yield ""
        yield "No programme has a referral or an allocation in this period yet."
    for programme in sorted(report["programmes"], key=programme_order):
        figures = report["programmes"][programme]
        yield ""
        yield from title_lines(programme)
        for row in programme_rows(programme, figures, _period_days(report)):
            yield row_line(row, figures)
        yield ""
        yield from _seat_lines(figures["seat_usage"])
        yield from allocation_lines(figures["seat_usage"])
    if "organisation" in report:
        yield ""
        yield from _organisation_lines(report["organisation"])


def header_lines(report: dict[str, Any]) -> Iterator[str]:
    period = report["period"]
    yield f"orbit report  {period['from']} to {period['until']}"
    known_at = report["known_at"]
    yield f"  as known at      {known_at if known_at else 'now (every recorded event)'}"
    yield f"  events replayed  {number(report['events_replayed'])}"
    yield f"  fingerprint      {report['fingerprint']}"


def programme_order(programme: str) -> tuple[int, str]:
    """AFT and VTA first, as in the annual report; other programmes after, by code."""
    known = list(PROGRAMME_NAMES)
    return (known.index(programme), "") if programme in known else (len(known), programme)


def title_lines(programme: str) -> Iterator[str]:
    name = PROGRAMME_NAMES.get(programme)
    title = f"{programme} - {name}" if name else programme
    yield title
    yield "=" * len(title)


def _period_days(report: dict[str, Any]) -> int:
    return _days(report["period"]["from"], report["period"]["until"])


def programme_rows(
    programme: str, figures: dict[str, Any], period_days: int | None = None
) -> Iterator[Row]:
    """The lines of one programme's figures, in the order of the annual report.

    With ``period_days``, the days with a waiting list say whether that was every day.
    """
    by_gender = ", ".join(
        f"{gender} {number(count)}"
        for gender, count in figures["participants_by_gender"].items()
        if count
    )
    yield Row("Participants served (deltakere)", ("participants_served",), detail=by_gender)
    yield Row("Active at end of period", ("active_at_end",))
    yield Row("New starts (oppstarter)", ("new_starts",))
    yield Row("Early leavers (started and left in period)", ("early_leavers",))
    yield Row("Exits (avganger)", ("exits",))
    for outcome, count in figures["exits_by_outcome"].items():
        if count:
            yield Row(f"  {OUTCOME_LABELS.get(outcome, outcome)}", ("exits_by_outcome", outcome))
    yield Row("Exits by group (fordelt på grupper)", ())
    for group in figures.get("exits_by_group", {}):
        yield Row(f"  {GROUP_LABELS.get(group, group)}", ("exits_by_group", group))
    yield Row(
        "Placement rate (formidlingsprosent)",
        ("placement_rate",),
        "share",
        _target(programme, figures["placement_rate"]),
    )
    yield Row("From passive benefit to activity", ("activity_rate",), "share", "aktivitet")
    yield Row("Hospitering / practice participants", ("hospitering_participants",))
    yield from _waiting_rows(figures["waiting"], period_days)
    yield from _course_rows(figures["courses"])
    yield from _survey_rows(figures["surveys"])


def _target(programme: str, rate: float | None) -> str:
    if programme != "AFT":  # Nav's 50 % target is for AFT (overgang til arbeid eller utdanning)
        return ""
    target = f"Nav's target {NAV_PLACEMENT_TARGET:.0%}"
    if rate is not None:
        target += ": met" if rate >= NAV_PLACEMENT_TARGET else ": not met"
    return target


def _waiting_rows(waiting: dict[str, Any], period_days: int | None) -> Iterator[Row]:
    yield Row("Waiting list at end (venteliste)", ("waiting", "at_end"))
    yield Row("Starts from the waiting list", ("waiting", "started_from_waiting_list"))
    yield Row("  median days waited", ("waiting", "median_wait_days"), "number")
    yield Row("  longest wait, days", ("waiting", "max_wait_days"))
    if "days_with_waiting_list" in waiting:
        days = waiting["days_with_waiting_list"]
        detail = ""
        if period_days is not None:
            detail = "every day" if days == period_days else f"of {number(period_days)} days"
        yield Row(
            "Days with a waiting list (dager med venteliste)",
            ("waiting", "days_with_waiting_list"),
            detail=detail,
        )


def _course_rows(courses: dict[str, Any]) -> Iterator[Row]:
    for code, course in sorted(courses["by_course"].items()):
        detail = (
            f"{_count(course['participants'], 'participant')}, "
            f"{number(course['completions'])} completed"
        )
        yield Row(
            f"Course '{code}' starts", ("courses", "by_course", code, "starts"), "count", detail
        )
    yield Row("Licences used", ("courses", "licences_used"))


def _survey_rows(surveys: dict[str, Any]) -> Iterator[Row]:
    for name, survey in sorted(surveys.items()):
        path = ("surveys", name)
        scale = survey["scale_max"]
        detail = f"on a scale to {number(scale, 'amount')}" if scale is not None else "mixed scales"
        yield Row(f"Survey '{name}' responses", (*path, "responses"))
        yield Row("  mean score", (*path, "mean_score"), "number", detail)
        yield Row("  mean percentage", (*path, "mean_percent"), "percent")


def _seat_lines(seats: dict[str, Any]) -> Iterator[str]:
    yield "Seat usage in månedsverk (tildelte rammer vs. used)"
    yield f"  {'month':<9}{'allocated':>11}{'used':>11}{'utilisation':>13}"
    for month in seats["months"]:
        yield _seat_row(month["month"], month["allocated"], month["used"])
    yield _seat_row("total", seats["allocated_total"], seats["used_total"])


def _seat_row(label: str, allocated: float, used: float) -> str:
    utilisation = number(used / allocated, "share") if allocated else "-"
    return f"  {label:<9}{_decimal(allocated):>11}{_decimal(used):>11}{utilisation:>13}"


def allocation_lines(
    seats: dict[str, Any], title: str = "Allocation (tildelte rammer)", *, baseline: bool = True
) -> Iterator[str]:
    """The allocation before the period (with ``baseline``) and its spans over it, with
    the seats added."""
    if "allocations" not in seats:
        return
    before = seats["allocated_before"]
    yield ""
    if baseline:
        yield figure_line(ALLOCATED_BEFORE, number(before, "amount"))
    spans = seats["allocations"]
    yield title
    if not spans:
        yield "  No seats allocated in the period."
        return
    yield f"  {'from':<12}{'until':<12}{'days':>6}{'seats':>10}{'change':>10}"
    previous = before
    for span in spans:
        days = _days(span["from"], span["until"])
        change = span["seats"] - previous
        yield (
            f"  {span['from']:<12}{span['until']:<12}{number(days):>6}"
            f"{number(span['seats'], 'amount'):>10}{signed(change, 'amount'):>10}"
        )
        previous = span["seats"]
    end = spans[-1]["seats"]
    extra = end - before
    more_or_fewer = "extra" if extra >= 0 else "fewer"
    seats_word = "seat" if abs(extra) == 1 else "seats"
    yield (
        f"  {number(abs(extra), 'amount')} {more_or_fewer} {seats_word} over the period"
        f" ({number(end, 'amount')} at the end, {number(before, 'amount')} before)"
    )


def _organisation_lines(organisation: dict[str, Any]) -> Iterator[str]:
    yield "Organisation"
    yield "============"
    for row in organisation_rows(organisation):
        yield row_line(row, organisation)
    yield from closure_lines(organisation.get("closures", []))


def organisation_rows(organisation: dict[str, Any]) -> Iterator[Row]:
    yield Row("Complaints received (klager)", ("complaints",))
    for programme in organisation.get("complaints_by_programme", {}):
        label = "no programme" if programme == "none" else programme
        yield Row(f"  {label}", ("complaints_by_programme", programme))
    yield Row("Staff training days (kompetanseutvikling)", ("staff_training_days",), "number")
    yield Row("Closures (stengt hos arrangør)", ())


def closure_lines(closures: list[dict[str, Any]]) -> Iterator[str]:
    if not closures:
        yield "  No closure in the period."
        return
    yield f"  {'from':<12}{'until':<12}{'days':>6}  programme"
    for closure in closures:
        days = _days(closure["from"], closure["until"])
        programme = closure["programme"] or "all"
        yield f"  {closure['from']:<12}{closure['until']:<12}{number(days):>6}  {programme}"


def value_at(figures: Mapping[str, Any] | None, path: tuple[str, ...]) -> Any:
    """The value at ``path`` (None when absent)."""
    value: Any = figures
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def row_line(row: Row, figures: Mapping[str, Any]) -> str:
    """A figure's line; a row without a path is a heading for the lines below it."""
    if not row.path:
        return f"  {row.label}"
    return figure_line(row.label, number(value_at(figures, row.path), row.kind), row.detail)


def figure_line(label: str, value: str, detail: str = "") -> str:
    line = f"  {label:<{LABEL_WIDTH}}{value:>10}"
    return f"{line}   {detail}" if detail else line


def number(value: Any, kind: Kind = "count") -> str:
    """A figure as the table writes it: spaces between thousands, "-" for null."""
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if kind == "share":
        return f"{_grouped(value * 100, 1)} %"
    if kind == "percent":
        return f"{_grouped(value, 1)} %"
    if kind == "number" or (kind == "amount" and not float(value).is_integer()):
        return _grouped(value, 2)
    return _grouped(value, 0)


def signed(value: Any, kind: Kind = "count") -> str:
    """A difference: with its sign, in percentage points for shares and percentages."""
    if value is None:
        return "-"
    sign = "+" if value > 0 else "-" if value < 0 else ""
    if kind in ("share", "percent"):
        return f"{sign}{_grouped(abs(value), 1)} pp"
    return sign + number(abs(value), kind)


def _decimal(value: float) -> str:
    return _grouped(value, 1)


def _grouped(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}".replace(",", " ")


def _days(first: str, last: str) -> int:
    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1


def _count(amount: int, noun: str) -> str:
    return f"{number(amount)} {noun}" if amount == 1 else f"{number(amount)} {noun}s"

"""The overview page as data: a period's report beside the same period a year earlier.

Every figure is written out here, in the page's language, with the annual report's own
rounding and number formatting (``NumberFormat``), outcome names and chart model, so
that the templates lay out and never compute. Each row has a key (``AFT.exits``) that
the page carries as ``data-key``, for tests and for anyone scraping the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from orbit_adapters.annual_report.context import OUTCOME_NAMES, exits_by_group, placement_split
from orbit_adapters.annual_report.model import Chart, Series
from orbit_adapters.annual_report.numbers import NBSP, NumberFormat, round_half_up
from orbit_adapters.annual_report.words import day_text, month_name
from orbit_adapters.web.dashboard.texts import TEXTS

ReportDict = Mapping[str, Any]


@attrs.frozen
class Row:
    """One figure: this period, the same period last year, and the change."""

    key: str
    label: str
    current: str
    previous: str
    change: str = ""


@attrs.frozen
class MonthRow:
    month: str
    allocated: str
    used: str
    used_last_year: str


@attrs.frozen
class ProgrammeView:
    code: str
    key_figures: tuple[Row, ...]
    seat_chart: Chart | None
    seat_months: tuple[MonthRow, ...]
    seat_figures: tuple[Row, ...]
    exits: tuple[Row, ...]
    waiting: tuple[Row, ...]


@attrs.frozen
class ClosureView:
    start: str
    end: str
    days: int
    programme: str


@attrs.frozen
class OrganisationView:
    facts: tuple[Row, ...]
    closures: tuple[ClosureView, ...]


@attrs.frozen
class Overview:
    period_text: str
    previous_period_text: str
    current_label: str  # a column's heading: the year, when the period lies in one
    previous_label: str
    programmes: tuple[ProgrammeView, ...]
    organisation: OrganisationView | None


def same_period_a_year_earlier(start: dt.date, until: dt.date) -> tuple[dt.date, dt.date]:
    """The period shifted back one year; 29 February becomes 28 February."""
    return _year_earlier(start), _year_earlier(until)


def _year_earlier(day: dt.date) -> dt.date:
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def period_text(start: dt.date, until: dt.date, language: str) -> str:
    """ "1. januar 2025 – 30. juni 2025" / "1 January 2025 – 30 June 2025"."""
    return f"{day_text(start, language)} – {day_text(until, language)}"


def build_overview(current: ReportDict, previous: ReportDict, language: str) -> Overview:
    """The overview of ``current`` against ``previous`` (the same period a year earlier)."""
    writer = _Writer(language)
    codes = _programme_order(current)
    programmes = tuple(
        writer.programme(
            code,
            current["programmes"][code],
            previous.get("programmes", {}).get(code),
            spans_years=current["period"]["from"][:4] != current["period"]["until"][:4],
        )
        for code in codes
    )
    organisation = None
    if current.get("organisation") is not None:
        organisation = writer.organisation(current["organisation"], previous.get("organisation"))
    first, last = current["period"]["from"][:4], current["period"]["until"][:4]
    one_year = first == last
    return Overview(
        period_text=_report_period_text(current, language),
        previous_period_text=_report_period_text(previous, language),
        current_label=first if one_year else writer.text["this_period"],
        previous_label=str(int(first) - 1) if one_year else writer.text["same_period_last_year"],
        programmes=programmes,
        organisation=organisation,
    )


def _report_period_text(report: ReportDict, language: str) -> str:
    period = report["period"]
    return period_text(
        dt.date.fromisoformat(period["from"]), dt.date.fromisoformat(period["until"]), language
    )


def _programme_order(report: ReportDict) -> list[str]:
    """AFT and VTA first, as in the annual report, then the others by code."""
    return sorted(report.get("programmes", {}), key=lambda code: (code not in ("AFT", "VTA"), code))


class _Writer:
    def __init__(self, language: str) -> None:
        self.language = language
        self.fmt = NumberFormat(language)
        self.text = TEXTS[language]

    # --- single values -------------------------------------------------------------

    def count(self, value: int | None) -> str:
        return self.text["none"] if value is None else self.fmt.decimal(value)

    def days(self, value: float | None) -> str:
        return self.text["none"] if value is None else self.fmt.figure(value, 1)

    def months(self, value: float | None) -> str:
        return self.text["none"] if value is None else self.fmt.figure(value, 1)

    def share(self, value: float | Fraction | None) -> str:
        """A share (0.52) as whole percent, rounded half up."""
        if value is None:
            return self.text["none"]
        return self.fmt.percent(self._points(value))

    def _points(self, value: float | Fraction) -> Decimal:
        exact = value if isinstance(value, Fraction) else Fraction(repr(value))
        return round_half_up(exact * 100)

    def count_change(self, current: int | None, previous: int | None) -> str:
        if current is None or previous is None:
            return ""
        return self.fmt.signed(current - previous)

    def figure_change(self, current: float | None, previous: float | None) -> str:
        if current is None or previous is None:
            return ""
        difference = round_half_up(current, 1) - round_half_up(previous, 1)
        return self.fmt.signed(difference, 0 if difference == difference.to_integral() else 1)

    def points_change(
        self, current: float | Fraction | None, previous: float | Fraction | None
    ) -> str:
        if current is None or previous is None:
            return ""
        points = self._points(current) - self._points(previous)
        unit = "%-poeng" if self.language == "nb" else "pp"
        return f"{self.fmt.signed(points)}{NBSP}{unit}"

    # --- rows ----------------------------------------------------------------------

    def count_row(self, key: str, label: str, current: int | None, previous: int | None) -> Row:
        return Row(
            key,
            label,
            self.count(current),
            self.count(previous),
            self.count_change(current, previous),
        )

    def share_row(
        self,
        key: str,
        label: str,
        current: float | Fraction | None,
        previous: float | Fraction | None,
    ) -> Row:
        return Row(
            key,
            label,
            self.share(current),
            self.share(previous),
            self.points_change(current, previous),
        )

    def figure_row(
        self, key: str, label: str, current: float | None, previous: float | None
    ) -> Row:
        return Row(
            key,
            label,
            self.months(current),
            self.months(previous),
            self.figure_change(current, previous),
        )

    # --- sections ------------------------------------------------------------------

    def programme(
        self,
        code: str,
        now: Mapping[str, Any],
        before: Mapping[str, Any] | None,
        *,
        spans_years: bool,
    ) -> ProgrammeView:
        then: Mapping[str, Any] = before or {}
        t = self.text

        def get(report: Mapping[str, Any], *path: str) -> Any:
            value: Any = report
            for step in path:
                if not isinstance(value, Mapping):
                    return None
                value = value.get(step)
            return value

        def counted(name: str) -> Row:
            return self.count_row(f"{code}.{name}", t[name], get(now, name), get(then, name))

        key_figures = (
            counted("participants_served"),
            counted("active_at_end"),
            counted("new_starts"),
            counted("exits"),
            self.share_row(
                f"{code}.placement_rate",
                t["placement_rate"],
                _placement_share(now),
                _placement_share(then) if before else None,
            ),
            self.share_row(
                f"{code}.activity_rate",
                t["activity_rate"],
                get(now, "activity_rate"),
                get(then, "activity_rate"),
            ),
            self.share_row(
                f"{code}.seat_usage.utilisation",
                t["utilisation"],
                get(now, "seat_usage", "utilisation"),
                get(then, "seat_usage", "utilisation"),
            ),
            counted("hospitering_participants"),
            counted("early_leavers"),
        )
        seat_figures = (
            self.figure_row(
                f"{code}.seat_usage.used_total",
                t["used_total"],
                get(now, "seat_usage", "used_total"),
                get(then, "seat_usage", "used_total"),
            ),
            self.figure_row(
                f"{code}.seat_usage.allocated_total",
                t["allocated_total"],
                get(now, "seat_usage", "allocated_total"),
                get(then, "seat_usage", "allocated_total"),
            ),
        )
        months_now = get(now, "seat_usage", "months") or []
        months_then = {
            month["month"][5:]: month for month in get(then, "seat_usage", "months") or []
        }
        seat_months = tuple(
            MonthRow(
                month=self._month_label(month["month"], spans_years, short=False),
                allocated=self.months(month["allocated"]),
                used=self.months(month["used"]),
                used_last_year=self.months(
                    months_then[month["month"][5:]]["used"]
                    if month["month"][5:] in months_then and not spans_years
                    else None
                ),
            )
            for month in months_now
        )
        return ProgrammeView(
            code=code,
            key_figures=key_figures,
            seat_chart=self.seat_chart(code, months_now, spans_years),
            seat_months=seat_months,
            seat_figures=seat_figures,
            exits=self.exits(code, now, then if before else None),
            waiting=self.waiting(code, now, then if before else None),
        )

    def _month_label(self, month: str, spans_years: bool, *, short: bool) -> str:
        name = month_name(int(month[5:]), self.language)
        if short:  # a chart's axis, as the annual report's: "jan", "Jan"
            return f"{name[:3]} {month[2:4]}" if spans_years else name[:3]
        name = name[:1].upper() + name[1:]
        return f"{name} {month[:4]}" if spans_years else name

    def seat_chart(
        self, code: str, months: Sequence[Mapping[str, Any]], spans_years: bool
    ) -> Chart | None:
        if not months or not any(month["allocated"] or month["used"] for month in months):
            return None
        t = self.text
        names = tuple(self._month_label(m["month"], spans_years, short=True) for m in months)
        allocated = tuple(round_half_up(m["allocated"], 1) for m in months)
        used = tuple(round_half_up(m["used"], 1) for m in months)
        title = t["seat_chart_title"].format(code=code)
        of = "av" if self.language == "nb" else "of"
        described = "; ".join(
            f"{name} {self.fmt.figure(u)} {of} {self.fmt.figure(a)}"
            for name, a, u in zip(names, allocated, used, strict=True)
        )
        return Chart(
            key=f"seats_{code}",
            kind="line",
            title=title,
            categories=names,
            series=(Series(t["allocated"], allocated), Series(t["used"], used)),
            unit="number",
            alt_text=f"{title} ({t['used'].lower()} {of} {t['allocated'].lower()}): {described}.",
        )

    def exits(
        self, code: str, now: Mapping[str, Any], then: Mapping[str, Any] | None
    ) -> tuple[Row, ...]:
        names = OUTCOME_NAMES[self.language]
        now_outcomes = now.get("exits_by_outcome", {})
        then_outcomes = (then or {}).get("exits_by_outcome", {}) if then else None
        rows = [
            self.count_row(
                f"{code}.exits_by_outcome.{outcome}",
                name,
                now_outcomes.get(outcome, 0),
                None if then_outcomes is None else then_outcomes.get(outcome, 0),
            )
            for outcome, name in names.items()
        ]
        placed_now = _placed(now)
        placed_then = None if then is None else _placed(then)
        rows.append(
            self.count_row(
                f"{code}.exits_by_group.placed", self.text["placed"], placed_now, placed_then
            )
        )
        rows.append(
            self.count_row(
                f"{code}.exits_total",
                self.text["all_exits"],
                now.get("exits"),
                None if then is None else then.get("exits"),
            )
        )
        return tuple(rows)

    def waiting(
        self, code: str, now: Mapping[str, Any], then: Mapping[str, Any] | None
    ) -> tuple[Row, ...]:
        t = self.text
        now_waiting = now.get("waiting", {})
        then_waiting = (then or {}).get("waiting", {}) if then else {}

        def counted(name: str, label: str) -> Row:
            return self.count_row(
                f"{code}.waiting.{name}", label, now_waiting.get(name), then_waiting.get(name)
            )

        def days(name: str) -> Row:
            current, previous = now_waiting.get(name), then_waiting.get(name)
            return Row(
                f"{code}.waiting.{name}",
                t[name],
                self.days(current),
                self.days(previous),
                self.figure_change(current, previous),
            )

        return (
            counted("at_end", t["waiting_at_end"]),
            counted("started_from_waiting_list", t["started_from_waiting_list"]),
            days("median_wait_days"),
            days("max_wait_days"),
            counted("days_with_waiting_list", t["days_with_waiting_list"]),
        )

    def organisation(
        self, now: Mapping[str, Any], then: Mapping[str, Any] | None
    ) -> OrganisationView:
        t = self.text
        before: Mapping[str, Any] = then or {}
        facts = (
            self.count_row(
                "organisation.complaints",
                t["complaints"],
                now.get("complaints"),
                before.get("complaints"),
            ),
            Row(
                "organisation.staff_training_days",
                t["staff_training_days"],
                self.days(now.get("staff_training_days")),
                self.days(before.get("staff_training_days")),
                self.figure_change(
                    now.get("staff_training_days"), before.get("staff_training_days")
                ),
            ),
        )
        closures = []
        for closure in now.get("closures", []):
            start = dt.date.fromisoformat(closure["from"])
            end = dt.date.fromisoformat(closure["until"])
            closures.append(
                ClosureView(
                    start=day_text(start, self.language),
                    end=day_text(end, self.language),
                    days=(end - start).days + 1,
                    programme=closure.get("programme") or t["closure_all"],
                )
            )
        return OrganisationView(facts=facts, closures=tuple(closures))


def _placed(programme: Mapping[str, Any]) -> int:
    groups = exits_by_group(programme)
    return groups.get("work", 0) + groups.get("education", 0)


def _placement_share(programme: Mapping[str, Any]) -> Fraction | None:
    """The placement rate as the annual report states it (largest remainder of the split)."""
    if not programme or not programme.get("exits"):
        return None
    _, _, placed_share, _ = placement_split(programme)
    return Fraction(placed_share, 100)

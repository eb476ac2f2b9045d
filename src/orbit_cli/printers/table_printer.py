"""``--format table``: the report as an analyst reads it in a terminal.

A summary per programme (with the Norwegian terms of the annual report beside the
English ones) and the monthly seat table: allocated, used, utilisation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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
NAV_PLACEMENT_TARGET = 0.5
_LABEL_WIDTH = 46


def report_table(report: dict[str, Any]) -> str:
    return "\n".join(_report_lines(report)) + "\n"


def _report_lines(report: dict[str, Any]) -> Iterator[str]:
    period = report["period"]
    yield f"orbit report  {period['from']} to {period['until']}"
    known_at = report["known_at"]
    yield f"  as known at      {known_at if known_at else 'now (every recorded event)'}"
    yield f"  events replayed  {report['events_replayed']:,}".replace(",", " ")
    yield f"  fingerprint      {report['fingerprint']}"
    if not report["programmes"]:
        yield ""
        yield "No programme has a referral or an allocation in this period yet."
    for programme in sorted(report["programmes"], key=_programme_order):
        yield ""
        yield from _programme_lines(programme, report["programmes"][programme])


def _programme_order(programme: str) -> tuple[int, str]:
    """AFT and VTA first, as in the annual report; other programmes after, by code."""
    known = list(PROGRAMME_NAMES)
    return (known.index(programme), "") if programme in known else (len(known), programme)


def _programme_lines(programme: str, figures: dict[str, Any]) -> Iterator[str]:
    name = PROGRAMME_NAMES.get(programme)
    title = f"{programme} - {name}" if name else programme
    yield title
    yield "=" * len(title)
    by_gender = ", ".join(
        f"{gender} {count}" for gender, count in figures["participants_by_gender"].items() if count
    )
    yield _figure("Participants served (deltakere)", figures["participants_served"], by_gender)
    yield _figure("Active at end of period", figures["active_at_end"])
    yield _figure("New starts (oppstarter)", figures["new_starts"])
    yield _figure("Early leavers (started and left in period)", figures["early_leavers"])
    yield _figure("Exits (avganger)", figures["exits"])
    for outcome, count in figures["exits_by_outcome"].items():
        if count:
            yield _figure(f"  {OUTCOME_LABELS.get(outcome, outcome)}", count)
    rate = figures["placement_rate"]
    target = ""
    if programme == "AFT":  # Nav's 50 % target is for AFT (overgang til arbeid eller utdanning)
        target = f"Nav's target {NAV_PLACEMENT_TARGET:.0%}"
        if rate is not None:
            target += ": met" if rate >= NAV_PLACEMENT_TARGET else ": not met"
    yield _figure(
        "Placement rate (formidlingsprosent)", _percent(figures["placement_rate"]), target
    )
    yield _figure(
        "From passive benefit to activity", _percent(figures["activity_rate"]), "aktivitet"
    )
    yield _figure("Hospitering / practice participants", figures["hospitering_participants"])
    yield from _waiting_lines(figures["waiting"])
    yield from _course_lines(figures["courses"])
    yield from _survey_lines(figures["surveys"])
    yield ""
    yield from _seat_lines(figures["seat_usage"])


def _waiting_lines(waiting: dict[str, Any]) -> Iterator[str]:
    yield _figure("Waiting list at end (venteliste)", waiting["at_end"])
    started = waiting["started_from_waiting_list"]
    detail = ""
    if waiting["median_wait_days"] is not None:
        detail = (
            f"waited median {_number(waiting['median_wait_days'])} days, "
            f"max {waiting['max_wait_days']}"
        )
    yield _figure("Starts from the waiting list", started, detail)


def _course_lines(courses: dict[str, Any]) -> Iterator[str]:
    by_course = courses["by_course"]
    if not by_course:
        return
    starts = sum(course["starts"] for course in by_course.values())
    completions = sum(course["completions"] for course in by_course.values())
    yield _figure("Course starts / completions", f"{starts} / {completions}")
    for code, course in sorted(by_course.items()):
        yield _figure(
            f"  {code}",
            course["starts"],
            f"{_count(course['participants'], 'participant')}, {course['completions']} completed",
        )
    yield _figure("Licences used", courses["licences_used"])


def _survey_lines(surveys: dict[str, Any]) -> Iterator[str]:
    for name, survey in sorted(surveys.items()):
        scale = survey["scale_max"]
        mean = (
            f"mean {_number(survey['mean_score'])} of {_number(scale)}"
            if scale is not None
            else "mixed scales"
        )
        yield _figure(
            f"Survey '{name}' responses",
            survey["responses"],
            f"{mean} ({_number(survey['mean_percent'])} %)",
        )


def _seat_lines(seats: dict[str, Any]) -> Iterator[str]:
    yield "Seat usage in månedsverk (tildelte rammer vs. used)"
    yield f"  {'month':<9}{'allocated':>11}{'used':>11}{'utilisation':>13}"
    for month in seats["months"]:
        yield _seat_row(month["month"], month["allocated"], month["used"])
    yield _seat_row("total", seats["allocated_total"], seats["used_total"])


def _seat_row(label: str, allocated: float, used: float) -> str:
    utilisation = _percent(used / allocated) if allocated else "-"
    return f"  {label:<9}{allocated:>11.1f}{used:>11.1f}{utilisation:>13}"


def _figure(label: str, value: object, detail: str = "") -> str:
    line = f"  {label:<{_LABEL_WIDTH}}{value!s:>8}"
    return f"{line}   {detail}" if detail else line


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.1f} %"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}"

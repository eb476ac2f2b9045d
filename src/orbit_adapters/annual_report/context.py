"""What every section builder shares: the two reports, the configuration and the language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from orbit_adapters.annual_report.config import AnnualConfig
from orbit_adapters.annual_report.model import Cell, Chart, Kind, Sentence, Table
from orbit_adapters.annual_report.numbers import NumberFormat, largest_remainder, round_half_up
from orbit_adapters.annual_report.words import capitalised, number_word
from orbit_domain.outcomes import Outcome

ReportDict = Mapping[str, Any]
"""A report-v1 (revision 2) JSON object, as ``Report.to_json_dict()`` gives it."""

OUTCOME_NAMES = {
    "nb": {
        "work_unsubsidised": "Arbeid uten lønnstilskudd",
        "work_subsidised": "Arbeid med lønnstilskudd",
        "vto": "VTA i ordinær virksomhet",
        "education_self_funded": "Utdanning, egenfinansiert",
        "education_nav_funded": "Utdanning dekket av Nav",
        "other_active": "Andre aktive løsninger",
        "treatment": "Behandling/rehabilitering",
        "pension": "Søkt uføre-/alderspensjon",
        "no_active": "Ingen aktive løsninger",
        "unknown": "Ukjent",
    },
    "en": {
        "work_unsubsidised": "Work without a wage subsidy",
        "work_subsidised": "Work with a wage subsidy",
        "vto": "Supported work in an ordinary workplace (VTO)",
        "education_self_funded": "Education, self-funded",
        "education_nav_funded": "Education funded by Nav",
        "other_active": "Other active solutions",
        "treatment": "Treatment or rehabilitation",
        "pension": "Applied for a disability or old-age pension",
        "no_active": "No active solution",
        "unknown": "Unknown",
    },
}
"""The outcomes' names in a table, in events-v1 order."""

OUTCOME_PHRASES = {
    "nb": {
        "work_unsubsidised": "til arbeid uten lønnstilskudd",
        "work_subsidised": "til arbeid med lønnstilskudd",
        "vto": "til VTA i ordinær virksomhet",
        "education_self_funded": "til egenfinansiert utdanning",
        "education_nav_funded": "til utdanning dekket av Nav",
        "other_active": "til andre aktive løsninger",
        "treatment": "til behandling eller rehabilitering",
        "pension": "med søknad om uføre- eller alderspensjon",
        "no_active": "uten aktiv løsning",
        "unknown": "med ukjent resultat",
    },
    "en": {
        "work_unsubsidised": "to work without a wage subsidy",
        "work_subsidised": "to work with a wage subsidy",
        "vto": "to supported work in an ordinary workplace",
        "education_self_funded": "to self-funded education",
        "education_nav_funded": "to education funded by Nav",
        "other_active": "to other active solutions",
        "treatment": "to treatment or rehabilitation",
        "pension": "having applied for a pension",
        "no_active": "with no active solution",
        "unknown": "with an unknown outcome",
    },
}
"""The outcomes in running text, after a count: "to til arbeid med lønnstilskudd"."""

PLACEMENT_GROUPS = ("work", "education")

SectionParts = tuple[tuple[Sentence, ...], tuple[Table, ...], tuple[Chart, ...]]
"""A section's sentences, tables and charts; a section builder returns a string instead
when the section is left out (the string says why)."""


@attrs.frozen
class BuildContext:
    language: str
    year: int
    current: ReportDict
    previous: ReportDict | None
    config: AnnualConfig

    @property
    def fmt(self) -> NumberFormat:
        return NumberFormat(self.language)

    @property
    def nb(self) -> bool:
        return self.language == "nb"

    def say(self, nb: str, en: str) -> str:
        return nb if self.nb else en

    def programmes(self) -> tuple[str, ...]:
        """The programmes of the year, AFT and VTA first."""
        codes = self.current.get("programmes", {})
        return tuple(sorted(codes, key=lambda code: (code not in ("AFT", "VTA"), code)))

    def programme(self, code: str) -> Mapping[str, Any] | None:
        found: Mapping[str, Any] | None = self.current.get("programmes", {}).get(code)
        return found

    def previous_programme(self, code: str) -> Mapping[str, Any] | None:
        if self.previous is None:
            return None
        found: Mapping[str, Any] | None = self.previous.get("programmes", {}).get(code)
        return found

    def organisation(self, report: ReportDict | None) -> Mapping[str, Any] | None:
        if report is None:
            return None
        found: Mapping[str, Any] | None = report.get("organisation")
        return found

    def count(self, count: int, singular: str, plural: str, *, neuter: bool = False) -> str:
        """ "én klage", "to personer", "108 avganger"."""
        noun = singular if count == 1 else plural
        return f"{number_word(count, self.language, neuter=neuter)} {noun}"

    def seats(self, seats: float) -> str:
        """Seats in running text: whole seats from one to twelve in words ("sju plasser")."""
        if float(seats).is_integer():
            return number_word(int(seats), self.language)
        return self.fmt.figure(seats)

    def sentence(self, key: str, text: str, /, **values: Any) -> Sentence:
        return Sentence(key=key, text=capitalised(text), values=values)

    def count_cell(self, count: int) -> Cell:
        return Cell(self.fmt.decimal(count), count, Kind.COUNT)

    def share_cell(self, points: int) -> Cell:
        return Cell(self.fmt.percent(points), Decimal(points) / 100, Kind.PERCENT)

    def figure_cell(self, value: float | Decimal, places: int = 1) -> Cell:
        return Cell(self.fmt.figure(value, places), round_half_up(value, places), Kind.DECIMAL)


def year_days(year: int) -> int:
    return (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1


def exits_by_group(programme: Mapping[str, Any]) -> dict[str, int]:
    """The exits per outcome group: revision 2's key, or summed from the outcomes."""
    groups: dict[str, int] | None = programme.get("exits_by_group")
    if groups is not None:
        return dict(groups)
    summed = {"work": 0, "education": 0, "other_active": 0, "inactive": 0, "unknown": 0}
    for code, count in programme.get("exits_by_outcome", {}).items():
        summed[Outcome(code).group.value] += count
    return summed


def placement_split(programme: Mapping[str, Any]) -> tuple[int, int, int, int]:
    """Exits to work or education, the rest, and their shares in whole percent.

    The two shares come from one largest-remainder rounding, so they add up to 100 as
    printed, and every sentence that states the placement rate uses the same figure.
    """
    groups = exits_by_group(programme)
    placed = sum(groups.get(group, 0) for group in PLACEMENT_GROUPS)
    rest = sum(groups.values()) - placed
    placed_share, rest_share = largest_remainder((placed, rest))
    return placed, rest, placed_share, rest_share


def active_share(programme: Mapping[str, Any]) -> tuple[int, Fraction] | None:
    """Exits to work, education or another active solution, and their exact share."""
    groups = exits_by_group(programme)
    total = sum(groups.values())
    if total == 0:
        return None
    active = sum(groups.get(group, 0) for group in (*PLACEMENT_GROUPS, "other_active"))
    return active, Fraction(active, total)


def seat_spans(programme: Mapping[str, Any]) -> list[tuple[dt.date, dt.date, float]]:
    """The allocation spans of the year (revision 2), else months with equal allocations."""
    usage = programme.get("seat_usage", {})
    allocations: Sequence[Mapping[str, Any]] | None = usage.get("allocations")
    if allocations is not None:
        return [
            (
                dt.date.fromisoformat(span["from"]),
                dt.date.fromisoformat(span["until"]),
                float(span["seats"]),
            )
            for span in allocations
        ]
    spans: list[tuple[dt.date, dt.date, float]] = []
    for month in usage.get("months", []):
        first = dt.date.fromisoformat(f"{month['month']}-01")
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        seats = float(month["allocated"])
        if seats == 0:
            continue
        if spans and spans[-1][2] == seats and spans[-1][1] + dt.timedelta(days=1) == first:
            spans[-1] = (spans[-1][0], last, seats)
        else:
            spans.append((first, last, seats))
    return spans

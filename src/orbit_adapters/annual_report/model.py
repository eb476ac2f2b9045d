"""The annual report as data: computed once, then rendered as HTML, PDF, XLSX or JSON.

Every figure is here already rounded and written out in the document's language
(``Cell.text``), beside the number it came from (``Cell.value``), so that renderers
lay out and never compute.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal

import attrs

FORMAT_VERSION = "orbit-annual-report/1"

Value = int | Decimal | str | None


class Kind(enum.StrEnum):
    """What a cell holds, so a spreadsheet can give it a number format."""

    TEXT = "text"
    COUNT = "count"  # a whole number
    DECIMAL = "decimal"  # a measured figure (månedsverk, a mean)
    PERCENT = "percent"  # value is a share: 0.56 for 56 %
    KRONER = "kroner"
    CHANGE = "change"  # a signed whole number


@attrs.frozen
class Cell:
    text: str
    value: Value = None
    kind: Kind = Kind.TEXT


@attrs.frozen
class Table:
    key: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_rows: int = 0  # how many of the last rows are subtotals or totals


@attrs.frozen
class Series:
    name: str
    values: tuple[Decimal, ...]


@attrs.frozen
class Chart:
    """A bar or line chart: one value per category and series."""

    key: str
    kind: str  # "bar" or "line"
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str  # "percent" (values are shares) or "number"
    alt_text: str  # the chart's numbers in words, for readers who cannot see it
    source: str | None = None


@attrs.frozen
class Sentence:
    """A sentence as written, and the values it states."""

    key: str
    text: str
    values: Mapping[str, Value] = attrs.field(factory=dict)
    code: str | None = None  # a command to show after the text, set as code


@attrs.frozen
class Section:
    key: str
    number: int
    title: str
    sheet: str  # the spreadsheet's name for it (at most 31 characters)
    sentences: tuple[Sentence, ...] = ()
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    omitted: str | None = None  # why it is left out, and which configuration key adds it


@attrs.frozen
class Source:
    """One report-v1 report the document was made from."""

    year: int
    period_from: str
    period_until: str
    events_replayed: int
    fingerprint: str


@attrs.frozen
class AnnualReport:
    language: str
    year: int
    title: str
    organisation_name: str | None
    dateline: str
    made_at: dt.datetime
    known_at: str | None
    sources: tuple[Source, ...]
    orbit_version: str
    command: str
    sections: tuple[Section, ...]
    labels: Mapping[str, str]  # the fixed words of the layout (headings, "Side", ...)
    format: str = FORMAT_VERSION

"""One period's report against another's: the differences of every figure, generically.

A comparison works on report-v1 JSON objects (:meth:`orbit_domain.report.Report.to_json_dict`)
rather than on the typed report, so that every figure a report holds, today's and those a
later revision adds (the ``organisation`` block, say), is compared without this module
knowing it. Only a few keys need to be known, by what kind of number they hold:

- shares (``placement_rate``, ``utilisation``...) differ in percentage points, as do
  percentages (``mean_percent``);
- levels (a mean, a maximum, a median, a scale) have no meaning for a period without
  them, so against a missing figure the difference is null; any other number is an
  amount (a count, days, seats), and a missing amount is 0 (``complaints_by_programme``
  and ``by_course`` list only what occurred).

Lists are compared entry by entry (month by month) when both have the same length;
lists of spans (objects with ``from`` and ``until``: allocations, closures) are not,
since the spans of two periods do not pair up, and neither are lists of different
lengths: their difference is null. In an object of the difference, a text value (a
month's name) is the main report's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

COMPARISON_KEY: Final = "comparison"
"""The key report-v1 is extended with: ``{"report": OTHER, "differences": {...}}``."""

REPORT_METADATA: Final = frozenset(
    {"format", "period", "known_at", "events_replayed", "fingerprint", COMPARISON_KEY}
)
"""Top-level keys that describe a report rather than count anything: not differenced."""

SHARES: Final = frozenset({"placement_rate", "activity_rate", "utilisation"})
"""Figures that are a share between 0 and 1: their differences are in percentage points."""

PERCENTAGES: Final = frozenset({"mean_percent"})
"""Figures already in percent: their differences are percentage points as they are."""

LEVELS: Final = frozenset({"max_wait_days", "median_wait_days", "mean_score", "scale_max"})
"""Figures that are no amount: compared with a missing one, the difference is null."""

_MISSING: Final = object()


def with_comparison(main: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """The ``main`` report-v1 object with a ``comparison`` holding ``other`` and the
    differences ``main - other`` of every figure."""
    return {
        **main,
        COMPARISON_KEY: {"report": dict(other), "differences": report_differences(main, other)},
    }


def report_differences(main: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    """``main - other`` for every figure of two report-v1 objects (not their metadata)."""
    keys = _keys(main, other)
    return {
        key: difference(main.get(key, _MISSING), other.get(key, _MISSING), key)
        for key in keys
        if key not in REPORT_METADATA
    }


def difference(main: Any, other: Any, key: str = "") -> Any:
    """``main - other`` for two JSON values found under ``key`` (see the module's rules);
    a value absent from one report is passed as a missing marker by the caller."""
    if isinstance(main, Mapping) or isinstance(other, Mapping):
        return _object_difference(_mapping(main), _mapping(other))
    if _is_list(main) or _is_list(other):
        return _list_difference(main, other, key)
    if _is_number(main) or _is_number(other):
        return _number_difference(main, other, key)
    if isinstance(main, str):
        return main
    return None


def _object_difference(main: Mapping[str, Any], other: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: difference(main.get(key, _MISSING), other.get(key, _MISSING), key)
        for key in _keys(main, other)
    }


def _list_difference(main: Any, other: Any, key: str) -> list[Any] | None:
    if not (_is_list(main) and _is_list(other)) or len(main) != len(other):
        return None
    if any(_is_span(entry) for entry in [*main, *other]):
        return None
    return [difference(one, two, key) for one, two in zip(main, other, strict=True)]


def _number_difference(main: Any, other: Any, key: str) -> float | int | None:
    if main is _MISSING or other is _MISSING:
        if key in LEVELS or key in SHARES or key in PERCENTAGES:
            return None
        main, other = (0 if main is _MISSING else main), (0 if other is _MISSING else other)
    if not (_is_number(main) and _is_number(other)):
        return None  # a null figure (a rate without exits) has no difference
    change: float | int = main - other
    return change * 100 if key in SHARES else change


def _keys(main: Mapping[str, Any], other: Mapping[str, Any]) -> list[str]:
    """The main report's keys in its order, then those only the other report has."""
    return [*main, *(key for key in other if key not in main)]


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str)


def _is_span(value: Any) -> bool:
    return isinstance(value, Mapping) and "from" in value and "until" in value

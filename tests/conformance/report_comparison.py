"""The conformance README's rule for comparing a report with an expected one.

Every key of the expected file must be present with the same value (integers exactly,
other numbers within 1 % relative), except ``known_at`` (any ISO form) and
``fingerprint`` (not in the expected files); map entries whose expected value is 0 or
null may be omitted.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
RELATIVE_TOLERANCE = 0.01


def expected_report(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return loaded


def mismatches(expected: Any, actual: Any, path: str = "") -> list[str]:
    """Every place where ``actual`` breaks the README's rule, named by its key path."""
    where = path or "/"
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {actual!r}"]
        found = []
        for key, value in expected.items():
            if key not in actual:
                if value not in (0, None) or isinstance(value, bool):
                    found.append(f"{path}/{key}: missing (expected {value!r})")
            elif key == "known_at" and path == "":
                found.extend(_same_moment(value, actual[key]))
            else:
                found.extend(mismatches(value, actual[key], f"{path}/{key}"))
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} entries, got {actual!r}"]
        return [
            problem
            for index, (wanted, got) in enumerate(zip(expected, actual, strict=True))
            for problem in mismatches(wanted, got, f"{path}[{index}]")
        ]
    if _is_number(expected) and _is_number(actual):
        close = (
            actual == expected
            if isinstance(expected, int)
            else abs(actual - expected) <= RELATIVE_TOLERANCE * abs(expected)
        )
        return [] if close else [f"{where}: expected {expected!r}, got {actual!r}"]
    if expected != actual or type(expected) is not type(actual):
        return [f"{where}: expected {expected!r}, got {actual!r}"]
    return []


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _same_moment(expected: str | None, actual: str | None) -> list[str]:
    if expected is None or actual is None:
        same = expected is actual
    else:
        same = dt.datetime.fromisoformat(expected) == dt.datetime.fromisoformat(actual)
    return [] if same else [f"/known_at: expected {expected!r}, got {actual!r}"]

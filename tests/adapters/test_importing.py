"""The import's own helpers, against the definitions they stand in for."""

from __future__ import annotations

from typing import Any

import pytest

from orbit_adapters import importing
from orbit_adapters.store.rows import compact_json


@pytest.mark.parametrize(
    "value",
    [
        {},
        {"programme": "VTA", "gender": "female", "birth_year": 1964},
        {"municipality": "Bærum", "referred_by": 'NAV "Vest"\\\n\t\u2028'},
        {"score": 4, "scale_max": 6.0},
        {"score": 0.1 + 0.2, "seats": 1e300, "small": 5e-324, "big": 10**30},
        {"licence": True, "other": False},
        {"note": "\ud83d\ude00 and a lone \udc00"},
    ],
)
def test_the_import_encodes_data_exactly_as_compact_json(value: dict[str, Any]) -> None:
    assert importing._compact_json(value) == compact_json(value)

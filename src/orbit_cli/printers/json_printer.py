"""``--format json``: exactly report-v1."""

from __future__ import annotations

import json
from typing import Any


def report_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"

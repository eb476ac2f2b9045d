"""The document model as JSON (``orbit-annual-report/1``), for services that lay it out."""

from __future__ import annotations

import datetime as dt
import enum
import json
from decimal import Decimal
from typing import Any

import attrs

from orbit_adapters.annual_report.model import AnnualReport


def _plain(_instance: Any, _field: Any, value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def to_json_dict(report: AnnualReport) -> dict[str, Any]:
    document = attrs.asdict(report, value_serializer=_plain)
    return {"format": document.pop("format"), **document}


def render_json(report: AnnualReport) -> str:
    return json.dumps(to_json_dict(report), ensure_ascii=False, indent=1) + "\n"

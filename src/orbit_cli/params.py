"""Strict option parsing: a date is ``YYYY-MM-DD``, a moment has an offset.

These are click callbacks rather than ``ParamType`` subclasses, whose generic form
differs between click releases.
"""

from __future__ import annotations

import datetime as dt
import re

import click

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise click.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD")


def parse_moment(
    _ctx: click.Context, _param: click.Parameter, value: str | None
) -> dt.datetime | None:
    if value is None:
        return None
    from orbit_adapters.events_v1 import LineError, parse_timestamp  # noqa: PLC0415 (lazy)

    try:
        return parse_timestamp(value)
    except LineError:
        raise click.BadParameter(
            f"{value!r} is not a timestamp with an offset, e.g. 2024-06-30T00:00:00Z "
            "or 2024-06-30T23:59:59+02:00"
        ) from None

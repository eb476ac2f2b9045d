"""Strict option parsing: a date is ``YYYY-MM-DD``, a moment has an offset.

These are click callbacks rather than ``ParamType`` subclasses, whose generic form
differs between click releases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

import click

from orbit_cli.safe_text import printable

_Command = TypeVar("_Command", bound=Callable[..., Any])
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
    _ctx: click.Context, param: click.Parameter, value: str | None
) -> dt.datetime | None:
    if value is None:
        return None
    from orbit_adapters.events_v1 import LineError, parse_timestamp  # noqa: PLC0415 (lazy)

    try:
        moment = parse_timestamp(value)
    except LineError:
        raise click.BadParameter(_not_a_moment(value)) from None
    if moment > dt.datetime.now(dt.UTC):
        name = param.opts[0] if param.opts else param.name
        click.echo(
            printable(
                f"warning: {name} {value} is in the future: the report holds every event "
                "recorded so far, and may change as more are recorded"
            ),
            err=True,
        )
    return moment


def _not_a_moment(value: str) -> str:
    """Why ``value`` is refused: not a timestamp, or one outside years 1-9999 in UTC."""
    try:
        written = dt.datetime.fromisoformat(value)
        if written.tzinfo is not None:
            written.astimezone(dt.UTC)
    except OverflowError:
        side = "before the first" if written.year == dt.MINYEAR else "after the last"
        return (
            f"{value!r} is {side} moment orbit can represent "
            "(0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999Z)"
        )
    except ValueError:
        pass
    return (
        f"{value!r} is not a timestamp with an offset, e.g. 2024-06-30T00:00:00Z "
        "or 2024-06-30T23:59:59+02:00"
    )


def known_at_option(what: str) -> Callable[[_Command], _Command]:
    """``--known-at``: only the events recorded by then, for ``what`` as it could have
    been made then (e.g. "the report as it could have been written then")."""
    return click.option(
        "--known-at",
        metavar="TIMESTAMP",
        callback=parse_moment,
        help=f"Only events recorded by then: {what}.",
    )

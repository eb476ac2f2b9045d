"""The ways ``orbit funding`` prints: a terminal table, JSON, or a tidy CSV.

Kroner are whole numbers with a space between thousands (``1 470 839``) in the table;
månedsverk always have their 5 decimals, as Nav's claim shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from orbit_cli.printers.table_printer import PROGRAMME_NAMES
from orbit_domain.funding import FundingResult
from orbit_domain.period import Period

FORMAT_VERSION = "orbit-funding/1"
# Every row carries the fingerprint of the events behind it (docs/audit.md): a CSV cut
# into a spreadsheet keeps it on each line.
MONTH_HEADER = (
    "programme",
    "month",
    "manedsverk",
    "rate",
    "payment",
    "commitment",
    "difference",
    "fingerprint",
)
PARTICIPANT_HEADER = ("programme", "month", "participant", "manedsverk", "fingerprint")


def kroner(amount: int) -> str:
    return f"{amount:,}".replace(",", " ")


def manedsverk(value: Decimal) -> str:
    return f"{value:,.5f}".replace(",", " ")


def funding_json(result: FundingResult, period: Period, known_at: dt.datetime | None) -> str:
    document: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "period": {"from": period.start.isoformat(), "until": period.end.isoformat()},
        "known_at": None if known_at is None else known_at.isoformat(),
        "events_replayed": result.events_replayed,
        "fingerprint": result.fingerprint,
        "months": [
            {
                "programme": month.programme,
                "month": month.month,
                "manedsverk": float(month.manedsverk),
                "rate": month.rate,
                "payment": month.payment,
                "commitment": month.commitment,
                "difference": month.difference,
            }
            for month in result.months
        ],
        "totals": [
            {
                "programme": total.programme,
                "manedsverk": float(total.manedsverk),
                "payment": total.payment,
                "commitment": total.commitment,
                "difference": total.difference,
            }
            for total in result.totals()
        ],
        "participants": [
            {
                "participant": line.participant,
                "programme": line.programme,
                "month": line.month,
                "manedsverk": float(line.manedsverk),
            }
            for line in result.participants
        ],
        "missing_rates": [
            {"programme": missing.programme, "year": missing.year}
            for missing in result.missing_rates
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def funding_csv(result: FundingResult, *, by_participant: bool) -> str:
    """One row per programme and month; with ``by_participant``, per participation instead."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if by_participant:
        writer.writerow(PARTICIPANT_HEADER)
        for line in result.participants:
            writer.writerow(
                (
                    line.programme,
                    line.month,
                    line.participant,
                    f"{line.manedsverk:.5f}",
                    result.fingerprint,
                )
            )
        return out.getvalue()
    writer.writerow(MONTH_HEADER)
    for month in result.months:
        writer.writerow(
            (
                month.programme,
                month.month,
                f"{month.manedsverk:.5f}",
                month.rate,
                month.payment,
                month.commitment,
                month.difference,
                result.fingerprint,
            )
        )
    return out.getvalue()


def funding_table(
    result: FundingResult, period: Period, known_at: dt.datetime | None, notes: list[str]
) -> str:
    return "\n".join(_table_lines(result, period, known_at, notes)) + "\n"


def _table_lines(
    result: FundingResult, period: Period, known_at: dt.datetime | None, notes: list[str]
) -> Iterator[str]:
    months = period.months()
    span = str(months[0]) if len(months) == 1 else f"{months[0]} to {months[-1]}"
    yield f"orbit funding  {span}, as Nav computes its claim"
    yield f"  as known at      {known_at.isoformat() if known_at else 'now (every recorded event)'}"
    yield f"  events replayed  {kroner(result.events_replayed)}"
    yield f"  fingerprint      {result.fingerprint}"
    if not result.months:
        yield ""
        yield "No programme has a referral or an allocation in this period yet."
    totals = {total.programme: total for total in result.totals()}
    for programme, total in totals.items():
        name = PROGRAMME_NAMES.get(programme)
        title = f"{programme} - {name}" if name else programme
        yield ""
        yield title
        yield "=" * len(title)
        yield _row("month", "månedsverk", "rate", "payment", "commitment", "difference")
        for month in result.months:
            if month.programme == programme:
                yield _row(
                    month.month,
                    manedsverk(month.manedsverk),
                    kroner(month.rate),
                    kroner(month.payment),
                    kroner(month.commitment),
                    kroner(month.difference),
                )
        if len(months) > 1:
            yield _row(
                "total",
                manedsverk(total.manedsverk),
                "",
                kroner(total.payment),
                kroner(total.commitment),
                kroner(total.difference),
            )
    if notes:
        yield ""
        yield from notes
    if result.participants:
        yield ""
        yield "Each participation's månedsverk (pseudonymous keys): Nav's claim line by line"
        width = max(len("participant"), *(len(line.participant) for line in result.participants))
        yield f"  {'month':<9}{'programme':<11}{'participant':<{width}}{'månedsverk':>13}"
        for line in result.participants:
            yield (
                f"  {line.month:<9}{line.programme:<11}{line.participant:<{width}}"
                f"{manedsverk(line.manedsverk):>13}"
            )


def _row(month: str, *values: str) -> str:
    widths = (13, 9, 13, 13, 12)
    cells = "".join(f"{value:>{width}}" for value, width in zip(values, widths, strict=True))
    return f"  {month:<9}{cells}"

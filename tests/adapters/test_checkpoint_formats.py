"""Checkpoints and saved tallies written before the organisation facts are rebuilt.

An orbit before events-v1 revision 2 saved fold states without the organisation facts
(``orbit-timelines/2``) and tallies without the organisation block
(``orbit-tallies/1``). Read as they are, they would report no complaint, no staff day
and no closure; their format says they are older, so they are ignored and made again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from orbit_adapters.service import Orbit
from orbit_adapters.store.schema import checkpoints_table
from orbit_domain.period import Period

SAMPLE_R2_LINES = (
    (Path(__file__).parents[1] / "conformance" / "data" / "sample-events-r2.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
)
QUERIES = [
    (Period.year(2024), None),
    (Period.year(2024), dt.datetime(2024, 9, 30, tzinfo=dt.UTC)),
    (Period(dt.date(2022, 3, 1), dt.date(2023, 8, 15)), None),
]


def reports(orbit: Orbit) -> list[dict[str, Any]]:
    return [orbit.report(period, known_at=known_at).to_json_dict() for period, known_at in QUERIES]


def as_an_older_orbit_saved_it(state: bytes) -> bytes:
    """The checkpoint as written before revision 2: older format, no organisation part."""
    document = json.loads(zlib.decompress(state))
    if document["format"].startswith("orbit-timelines/"):
        document["format"] = "orbit-timelines/2"
        del document["facts"]
    else:
        document["format"] = "orbit-tallies/1"
        del document["organisation"]
    return zlib.compress(json.dumps(document).encode())


def downgrade_every_checkpoint(orbit: Orbit) -> int:
    with orbit.store.engine.begin() as connection:
        rows = connection.execute(select(checkpoints_table)).all()
        for row in rows:
            older = as_an_older_orbit_saved_it(row.state)
            connection.execute(
                update(checkpoints_table)
                .where(
                    checkpoints_table.c.organisation == row.organisation,
                    checkpoints_table.c.name == row.name,
                )
                .values(state=older, digest=hashlib.sha256(older).hexdigest())
            )
    return len(rows)


def test_older_fold_states_and_saved_tallies_are_rebuilt_rather_than_misread(
    sqlite_url: str,
) -> None:
    with Orbit.open(sqlite_url) as orbit:
        orbit.import_lines(SAMPLE_R2_LINES)
        expected = reports(orbit)
        downgraded = downgrade_every_checkpoint(orbit)

        after = reports(orbit)
        read: list[int] = []
        orbit.report(Period.year(2024), progress=read.append)

    assert downgraded >= len(QUERIES) + 1  # the fold states and every report's tallies
    assert after == expected
    assert expected[0]["organisation"]["complaints"] == 1
    assert sum(read) == 0  # rebuilt in the current format: the next report is warm again

"""Checkpoints and saved tallies with organisation facts: incremental equals full, and
those written before the facts existed are rebuilt.

An orbit before events-v1 revision 2 saved fold states without the organisation facts
(``orbit-timelines/2``) and tallies without the organisation block
(``orbit-tallies/1``). Read as they are, they would report no complaint, no staff day
and no closure; their format says they are older, so they are ignored and made again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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


def as_an_older_orbit_saved_it(name: str, state: bytes) -> bytes:
    """The checkpoint as written before revision 2: older format, no organisation part.

    A fold state was then one JSON document (columns came with orbit-timelines/4); this
    one holds no journey, so a report that read it would be wrong."""
    if name.startswith("timelines"):
        document = {"format": "orbit-timelines/2", "events_folded": 0, "journeys": {}}
        return zlib.compress(json.dumps(document).encode())
    document = json.loads(zlib.decompress(state))
    document["format"] = "orbit-tallies/1"
    del document["organisation"]
    return zlib.compress(json.dumps(document).encode())


def downgrade_every_checkpoint(orbit: Orbit) -> int:
    with orbit._store.engine.begin() as connection:
        rows = connection.execute(select(checkpoints_table)).all()
        for row in rows:
            older = as_an_older_orbit_saved_it(row.name, row.state)
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


_organisations = itertools.count()


@pytest.fixture
def full_reports(sqlite_url: str) -> list[dict[str, Any]]:
    with Orbit.open(sqlite_url, organisation="full") as orbit:
        orbit.import_lines(SAMPLE_R2_LINES)
        orbit.drop_checkpoints()
        return reports(orbit)


@settings(
    max_examples=max(3, settings().max_examples // 20),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(splits=st.lists(st.integers(0, len(SAMPLE_R2_LINES)), min_size=1, max_size=3))
def test_reports_from_checkpoints_after_each_part_equal_one_full_replay(
    store_url: str, full_reports: list[dict[str, Any]], splits: list[int]
) -> None:
    """Facts and retractions folded from checkpoints, the retractions often in a later
    part than their facts, give the very reports of replaying the whole sample at once."""
    with Orbit.open(store_url, organisation=f"split-{next(_organisations)}") as orbit:
        start = 0
        for end in [*sorted(splits), len(SAMPLE_R2_LINES)]:
            orbit.import_lines(SAMPLE_R2_LINES[start:end])
            start = end
            reports(orbit)  # leaves checkpoints behind at this point
        assert reports(orbit) == full_reports

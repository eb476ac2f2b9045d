"""Replay checkpoints: an optimisation that can never change an answer."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from orbit_adapters.read_model.checkpoints import tallies_key
from orbit_adapters.read_model.saved_reports import tallied_replay
from orbit_adapters.read_model.tally_codec import (
    TALLIES_FORMAT,
    TalliedReplay,
    TallyFormatError,
    decode_tallied,
    encode_tallied,
)
from orbit_adapters.service import Orbit
from orbit_adapters.store.schema import checkpoints_table, fingerprint_checkpoints_table
from orbit_domain.period import Period
from orbit_domain.weighting import Weighting

SAMPLE_LINES = (
    (Path(__file__).parent.parent / "conformance" / "data" / "sample-events.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
)
QUERIES = [
    (Period.year(2024), None),
    (Period.year(2023), None),
    (Period(dt.date(2022, 3, 1), dt.date(2023, 8, 15)), None),
    (Period.year(2024), dt.datetime(2024, 6, 30, tzinfo=dt.UTC)),
]
_organisations = itertools.count()


def reports(orbit: Orbit) -> list[dict[str, object]]:
    return [orbit.report(period, known_at=known_at).to_json_dict() for period, known_at in QUERIES]


@pytest.fixture
def full_reports(sqlite_url: str) -> list[dict[str, object]]:
    with Orbit.open(sqlite_url, organisation="full") as orbit:
        orbit.import_lines(SAMPLE_LINES)
        orbit.drop_checkpoints()
        return reports(orbit)


@settings(
    max_examples=max(3, settings().max_examples // 20),
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(splits=st.lists(st.integers(0, len(SAMPLE_LINES)), min_size=1, max_size=3))
def test_incremental_replay_equals_full_replay_for_any_split_points(
    store_url: str, full_reports: list[dict[str, object]], splits: list[int]
) -> None:
    """Reporting after each part of an import, from checkpoints, gives the very reports
    (figures, events replayed, fingerprint) of replaying the whole history at once."""
    organisation = f"split-{next(_organisations)}"
    with Orbit.open(store_url, organisation=organisation) as orbit:
        start = 0
        for end in [*sorted(splits), len(SAMPLE_LINES)]:
            orbit.import_lines(SAMPLE_LINES[start:end])
            start = end
            reports(orbit)  # leaves checkpoints behind at this point
        assert reports(orbit) == full_reports


def test_a_warm_report_reads_no_event_and_one_after_new_events_reads_only_those(
    sqlite_url: str,
) -> None:
    with Orbit.open(sqlite_url) as orbit:
        orbit.import_lines(SAMPLE_LINES[:-100])
        cold = count_read(orbit)
        warm = count_read(orbit)
        orbit.import_lines(SAMPLE_LINES[-100:])
        after_new = count_read(orbit)

    assert cold == len(SAMPLE_LINES) - 100
    assert warm == 0
    assert after_new == 100


def count_read(orbit: Orbit) -> int:
    read: list[int] = []
    orbit.report(Period.year(2024), progress=read.append)
    return sum(read)


def test_a_damaged_checkpoint_is_detected_and_rebuilt(sqlite_url: str) -> None:
    with Orbit.open(sqlite_url) as orbit:
        orbit.import_lines(SAMPLE_LINES)
        expected = reports(orbit)
        with orbit._store.engine.begin() as connection:
            connection.execute(update(checkpoints_table).values(state=b"\x00broken"))

        assert reports(orbit) == expected


def test_a_stale_checkpoint_is_detected_and_rebuilt(sqlite_url: str) -> None:
    with Orbit.open(sqlite_url) as orbit:
        orbit.import_lines(SAMPLE_LINES)
        expected = reports(orbit)
        for table in (checkpoints_table, fingerprint_checkpoints_table):
            with orbit._store.engine.begin() as connection:  # as if the store were replaced
                connection.execute(update(table).values(anchor="another-event"))

        assert reports(orbit) == expected
        assert count_read(orbit) == 0  # and rebuilt: the next report is warm again


def test_rebuild_drops_the_checkpoints_and_replays_everything(sqlite_url: str) -> None:
    with Orbit.open(sqlite_url) as orbit:
        orbit.import_lines(SAMPLE_LINES)
        warm = orbit.report(Period.year(2024))
        read: list[int] = []

        rebuilt = orbit.report(Period.year(2024), rebuild=True, progress=read.append)

    assert rebuilt == warm
    assert sum(read) == len(SAMPLE_LINES)


def test_saved_tallies_come_back_as_they_were_and_only_for_their_own_report(
    sqlite_url: str,
) -> None:
    with Orbit.open(sqlite_url) as orbit:
        orbit.import_lines(SAMPLE_LINES)
        replayed = tallied_replay(orbit._store, Period.year(2024), None, Weighting.NAV)
    key = tallies_key("2024-01-01", "2024-12-31", "nav", None)
    blob = encode_tallied(replayed, key)

    assert decode_tallied(blob, key) == replayed
    with pytest.raises(TallyFormatError):
        decode_tallied(blob, tallies_key("2024-01-01", "2024-12-31", "proportional", None))


def test_a_report_across_organisations_replays_only_the_organisations_that_changed(
    sqlite_url: str,
) -> None:
    first, second = SAMPLE_LINES[:-100], SAMPLE_LINES[-100:]
    with (
        Orbit.open(sqlite_url, organisation="a") as one,
        Orbit.open(sqlite_url, organisation="b") as other,
    ):
        one.import_lines(SAMPLE_LINES)
        other.import_lines(first)
        one.report_all_organisations(Period.year(2024))
        other.import_lines(second)
        read: list[int] = []

        warm = one.report_all_organisations(Period.year(2024), progress=read.append)
        rebuilt = one.report_all_organisations(Period.year(2024), rebuild=True)

    assert sum(read) == len(second)  # organisation a's saved tallies were used as they were
    assert warm == rebuilt


def _rewrite_saved_tallies(orbit: Orbit, change: Callable[[dict[str, Any]], None]) -> None:
    """Apply ``change`` to every saved tallies document, keeping its digest valid."""
    with orbit._store.engine.begin() as connection:
        rows = connection.execute(
            select(checkpoints_table.c.name, checkpoints_table.c.state).where(
                checkpoints_table.c.name.startswith("tallies:")
            )
        ).all()
        assert rows, "the report saved its tallies"
        for name, state in rows:
            document = json.loads(zlib.decompress(state))
            change(document)
            blob = zlib.compress(json.dumps(document).encode())
            connection.execute(
                update(checkpoints_table)
                .where(checkpoints_table.c.name == name)
                .values(state=blob, digest=hashlib.sha256(blob).hexdigest())
            )


def _saved_formats(orbit: Orbit) -> set[str]:
    with orbit._store.engine.begin() as connection:
        states = connection.execute(
            select(checkpoints_table.c.state).where(checkpoints_table.c.name.startswith("tallies:"))
        ).scalars()
        return {json.loads(zlib.decompress(state))["format"] for state in states}


def _as_format_1(document: dict[str, Any]) -> None:
    """Made as an orbit before report-v1 revision 2 made it, with a figure changed so
    that reading it would show."""
    document["format"] = "orbit-tallies/1"
    for fields in document["programmes"].values():
        for key in ("waiting_days", "allocated_before", "allocations"):
            del fields[key]
        fields["waiting_at_end"] = 999


def test_saved_tallies_of_format_1_lack_the_revision_2_figures_and_are_rebuilt(
    sqlite_url: str,
) -> None:
    with Orbit.open(sqlite_url) as orbit:
        orbit.import_lines(SAMPLE_LINES)
        expected = orbit.report(Period.year(2024)).to_json_dict()
        _rewrite_saved_tallies(orbit, _as_format_1)

        again = orbit.report(Period.year(2024)).to_json_dict()

        assert again == expected
        assert _saved_formats(orbit) == {TALLIES_FORMAT}  # and saved anew


def test_tallies_that_lack_a_revision_2_figure_are_not_read() -> None:
    key = tallies_key("2024-01-01", "2024-12-31", "proportional", None)
    blob = encode_tallied(TalliedReplay(0, "", {}), key)
    document = json.loads(zlib.decompress(blob))
    document["programmes"] = {"AFT": {"waiting_at_end": 1, "waits": []}}

    with pytest.raises(TallyFormatError, match="unreadable"):
        decode_tallied(zlib.compress(json.dumps(document).encode()), key)

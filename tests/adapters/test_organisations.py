"""Organisations share a store but nothing else: keys, ids, versions and figures stay apart."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from orbit_adapters.importing import ImportRejectedError
from orbit_adapters.read_model import saved_reports
from orbit_adapters.service import Orbit
from orbit_adapters.store.engine import StoreError
from orbit_domain.period import Period

YEAR_2024 = Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))


def test_the_same_keys_and_ids_in_two_organisations_are_two_peoples_events(
    store_url: str, sample_path: Path
) -> None:
    with Orbit.open(store_url, organisation="north") as north:
        north.import_file(sample_path)
    with Orbit.open(store_url, organisation="south") as south:
        result = south.import_file(sample_path)
        south_export = list(south.export_lines())
        versions: dict[str, list[int]] = {}
        for row in south._store.read_rows():
            versions.setdefault(row.stream, []).append(row.version)

    assert result.stored == 4099  # nothing of north's counts as already stored
    original = [json.loads(line) for line in sample_path.read_text().splitlines()]
    assert [json.loads(line) for line in south_export] == original
    # Every stream of south starts at version 1: nothing of north's is in its streams.
    participants = {json.loads(line).get("participant") for line in south_export} - {None}
    assert len(versions) == len(participants) + 1  # and the organisation stream
    assert all(v == list(range(1, len(v) + 1)) for v in versions.values())


def test_nothing_done_in_one_organisation_touches_another(
    store_url: str, sample_path: Path
) -> None:
    with Orbit.open(store_url, organisation="north") as north:
        north.import_file(sample_path)
        before = list(north.export_lines())
        report_before = north.report(YEAR_2024)
    with Orbit.open(store_url, organisation="south") as south:
        south.import_file(sample_path)
        with pytest.raises(ImportRejectedError):
            south.import_lines([sample_path.read_text().splitlines()[0], "{bad"])
    with Orbit.open(store_url, organisation="north") as north:
        assert list(north.export_lines()) == before
        assert north.report(YEAR_2024) == report_before
        assert north.organisations() == {"north": 4099, "south": 4099}


def test_all_organisations_sums_counts_and_seats_and_keeps_rates(
    store_url: str, sample_path: Path
) -> None:
    for name in ("north", "south"):
        with Orbit.open(store_url, organisation=name) as orbit:
            orbit.import_file(sample_path)
    with Orbit.open(store_url, organisation="north") as orbit:
        one = orbit.report(YEAR_2024)
        both = orbit.report_all_organisations(YEAR_2024)

    assert both.events_replayed == 2 * one.events_replayed
    assert both.fingerprint != one.fingerprint
    for programme, single in one.programmes.items():
        summed = both.programmes[programme]
        assert summed.participants_served == 2 * single.participants_served
        assert summed.exits == 2 * single.exits
        assert summed.placement_rate == single.placement_rate
        assert summed.waiting.median_wait_days == single.waiting.median_wait_days
        assert summed.seat_usage.allocated_total == pytest.approx(
            2 * single.seat_usage.allocated_total
        )
        assert summed.seat_usage.used_total == pytest.approx(2 * single.seat_usage.used_total)


def test_organisations_replayed_in_worker_processes_give_the_report_of_one_process(
    store_url: str, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers replay the organisations with new events and save what they replayed; the
    report, its fingerprint included, is the one a single process makes."""
    monkeypatch.setattr(saved_reports, "WORTH_A_WORKER", 0)  # the sample is small
    replayed_in_workers: list[list[str]] = []
    in_workers_as_written = saved_reports._replay_in_workers

    def watched(store: Any, stale: dict[str, Any], *rest: Any) -> Any:
        replayed_in_workers.append(sorted(stale))
        return in_workers_as_written(store, stale, *rest)

    monkeypatch.setattr(saved_reports, "_replay_in_workers", watched)
    lines = sample_path.read_text().splitlines()
    for name in ("north", "south", "west"):
        with Orbit.open(store_url, organisation=name) as orbit:
            orbit.import_lines(lines[: len(lines) // 2] if name == "west" else lines)
    with Orbit.open(store_url, organisation="north") as orbit:
        in_workers = orbit.report_all_organisations(YEAR_2024, workers=2, rebuild=True)
        in_one_process = orbit.report_all_organisations(YEAR_2024, rebuild=True)
        with Orbit.open(store_url, organisation="west") as west:
            west.import_lines(lines[len(lines) // 2 :])
        read: list[int] = []
        after_new = orbit.report_all_organisations(YEAR_2024, workers=2, progress=read.append)
        after_new_in_one_process = orbit.report_all_organisations(YEAR_2024, rebuild=True)

    assert replayed_in_workers == [["north", "south", "west"]]  # not after west's new ones
    assert in_workers == in_one_process
    assert after_new == after_new_in_one_process
    assert sum(read) == len(lines) - len(lines) // 2  # only west's new events were read


def test_a_bad_organisation_name_is_refused(sqlite_url: str) -> None:
    with pytest.raises(StoreError, match="not an organisation name: 'a b'"):
        Orbit.open(sqlite_url, organisation="a b")

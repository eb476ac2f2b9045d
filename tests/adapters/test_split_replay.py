"""A large organisation's replay split over its participants gives the one-process report."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from orbit_adapters.read_model import saved_reports, split_replay
from orbit_adapters.service import Orbit
from orbit_adapters.store.rows import ORGANISATION_STREAM
from orbit_adapters.store.schema import checkpoints_table
from orbit_domain.period import Period
from orbit_domain.report import Report

SAMPLE_R2 = Path(__file__).parents[1] / "conformance" / "data" / "sample-events-r2.jsonl"
"""Participants' events, allocations and organisation facts with retractions."""

YEAR_2024 = Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
FIRST_HALF_2024 = Period(dt.date(2024, 1, 1), dt.date(2024, 6, 30))


@pytest.fixture
def split_small_organisations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every organisation is split, in shares of about 1,000 rows (the sample has 4,089);
    gives the number of rows of each split replay, as it is made."""
    split_rows: list[int] = []
    as_written = split_replay.split_replay

    def watched(*args: object, rows: int, **kwargs: object) -> object:
        split_rows.append(rows)
        return as_written(*args, rows=rows, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(saved_reports, "SPLIT_AT", 0)
    monkeypatch.setattr(split_replay, "WORTH_A_WORKER", 0)
    monkeypatch.setattr(split_replay, "SHARE_ROWS", 1_000)
    monkeypatch.setattr(saved_reports, "split_replay", watched)
    return split_rows


def _one_process(url: str, period: Period, known_at: dt.datetime | None = None) -> Report:
    with Orbit.open(url) as orbit:
        return orbit.report(period, known_at=known_at, rebuild=True)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_split_replay_gives_the_report_of_one_process(
    store_url: str,
    split_small_organisations: list[int],
    monkeypatch: pytest.MonkeyPatch,
    workers: int,
) -> None:
    """Fingerprint and events replayed included, for a period, one ending earlier (rows
    dated after it are folded but not chained) and a knowledge time."""
    lines = SAMPLE_R2.read_text(encoding="utf-8").splitlines()
    with Orbit.open(store_url) as orbit:
        orbit.import_lines(lines)
    known_at = dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
    split = []
    for period, at in ((YEAR_2024, None), (FIRST_HALF_2024, None), (YEAR_2024, known_at)):
        with Orbit.open(store_url) as orbit:
            split.append(orbit.report(period, known_at=at, rebuild=True, workers=workers))
    assert split_small_organisations == [len(lines)] * 3
    monkeypatch.setattr(saved_reports, "SPLIT_AT", 10**9)
    one_process = [
        _one_process(store_url, YEAR_2024),
        _one_process(store_url, FIRST_HALF_2024),
        _one_process(store_url, YEAR_2024, known_at),
    ]
    assert split == one_process
    assert split[0].organisation.complaints  # the organisation's facts were counted


def test_a_split_replay_carries_its_checkpoints_forward_and_saves_the_report(
    store_url: str, split_small_organisations: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its chain checkpoint and each share's fold state (saved by a worker or by this
    process) serve the next replay; its
    tallies are read back while nothing new is stored. No checkpoint holds the whole
    organisation's fold state, and a split into other shares drops the old ones."""
    lines = SAMPLE_R2.read_text(encoding="utf-8").splitlines()
    half = len(lines) // 2
    monkeypatch.setattr(split_replay, "SHARE_ROWS", 2_100)  # 2 shares for half and all
    monkeypatch.setattr(split_replay, "SAVE_FOLD_STATE_AFTER", 1)
    with Orbit.open(store_url) as orbit:
        orbit.import_lines(lines[:half])
        orbit.report(YEAR_2024, workers=2)
        first_split = _fold_states(orbit)
        orbit.import_lines(lines[half:])
        after_new = orbit.report(YEAR_2024)  # in this process, which sees the monkeypatch
        read: list[int] = []
        read_back = orbit.report(YEAR_2024, workers=2, progress=read.append)
        second_split = _fold_states(orbit)
        monkeypatch.setattr(split_replay, "SHARE_ROWS", 500)
        in_more_shares = orbit.report(FIRST_HALF_2024, workers=2)  # not saved: replayed
        more_shares = _fold_states(orbit)
    assert split_small_organisations == [half, len(lines), len(lines)]  # not the read-back
    assert read == []
    assert read_back == after_new
    assert len(first_split) == 2
    assert {name for name, _ in second_split} == {name for name, _ in first_split}
    assert {position for _, position in first_split} == {half}  # the positions of the
    assert {position for _, position in second_split} == {len(lines)}  # last events
    assert len(more_shares) == 16  # 4,089 rows in shares of 500
    monkeypatch.setattr(saved_reports, "SPLIT_AT", 10**9)
    assert after_new == _one_process(store_url, YEAR_2024)
    assert in_more_shares == _one_process(store_url, FIRST_HALF_2024)


def _fold_states(orbit: Orbit) -> list[tuple[str, int]]:
    """The organisation's fold-state checkpoints: name and position."""
    table = checkpoints_table
    with orbit._store.reading() as reader:
        rows = reader.connection.execute(
            select(table.c.name, table.c.position)
            .where(table.c.name.startswith("timelines"))
            .order_by(table.c.name)
        ).all()
    return [(name, position) for name, position in rows]


def test_only_a_split_replay_with_enough_rows_to_fold_starts_workers(
    sqlite_url: str, split_small_organisations: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the shares' checkpoints, a few new rows are folded in this process."""
    lines = SAMPLE_R2.read_text(encoding="utf-8").splitlines()
    monkeypatch.setattr(split_replay, "WORTH_A_WORKER", 1_000)
    in_workers: list[int] = []
    as_written = split_replay._in_workers

    def watched(*args: Any) -> Any:
        in_workers.append(len(args[2]))  # the ranges
        return as_written(*args)

    monkeypatch.setattr(split_replay, "_in_workers", watched)
    with Orbit.open(sqlite_url) as orbit:
        orbit.import_lines(lines[:-10])
        orbit.report(YEAR_2024, workers=2)
        orbit.import_lines(lines[-10:])
        after_new = orbit.report(YEAR_2024, workers=2)
    assert in_workers == [8]  # the cold report only (4,079 rows in shares of 1,000)
    monkeypatch.setattr(saved_reports, "SPLIT_AT", 10**9)
    assert after_new == _one_process(sqlite_url, YEAR_2024)


def test_a_large_organisation_among_others_is_split_and_the_sum_is_unchanged(
    sqlite_url: str, split_small_organisations: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = SAMPLE_R2.read_text(encoding="utf-8").splitlines()
    for name, share in (("north", lines), ("south", lines[: len(lines) // 3])):
        with Orbit.open(sqlite_url, organisation=name) as orbit:
            orbit.import_lines(share)
    monkeypatch.setattr(saved_reports, "SPLIT_AT", len(lines))
    monkeypatch.setattr(saved_reports, "WORTH_A_WORKER", 0)
    with Orbit.open(sqlite_url, organisation="north") as orbit:
        split = orbit.report_all_organisations(YEAR_2024, workers=2, rebuild=True)
        monkeypatch.setattr(saved_reports, "SPLIT_AT", 10**9)
        one_process = orbit.report_all_organisations(YEAR_2024, rebuild=True)
    assert split_small_organisations == [len(lines)]  # north only
    assert split == one_process


_STREAM_IDS = st.one_of(
    st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
    st.text(alphabet=string.printable, max_size=40),
    st.just(ORGANISATION_STREAM),
)


@given(_STREAM_IDS, st.integers(1, 300))
def test_every_stream_id_is_in_exactly_one_share(stream: str, shares: int) -> None:
    ranges = split_replay.stream_ranges(shares)
    holding = [
        streams
        for streams in ranges
        if (streams.first is None or streams.first <= stream)
        and (streams.end is None or stream < streams.end)
    ]
    assert len(ranges) == shares
    assert len(holding) == 1


@pytest.mark.parametrize(
    ("rows", "workers", "shares"),
    [
        (10, 1, 1),
        (10, 3, 4),
        (64_000, 1, 1),
        (64_001, 1, 2),
        (203_000, 2, 4),
        (203_000, 8, 8),
        (404_000, 1, 8),
    ],
)
def test_shares_are_a_power_of_two_of_at_most_share_rows_and_one_for_each_worker(
    rows: int, workers: int, shares: int
) -> None:
    assert split_replay.share_count(rows, workers) == shares

"""Several writers at once: nothing lost, nothing twice, streams in order, no late gaps."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import threading
from collections import defaultdict
from pathlib import Path

import pytest

from orbit_adapters.service import Orbit
from orbit_domain.period import Period
from orbit_synthetic import generate_history

IMPORTERS = 8


def overlapping_files(tmp_path: Path, lines: list[str]) -> list[Path]:
    """Eight files; file k holds participant groups k and k+1, and every allocation.

    Any order of imports is valid, and every event is in two files with the same id.
    """
    groups: dict[int, list[str]] = defaultdict(list)
    allocations = []
    for line in lines:
        participant = json.loads(line).get("participant")
        if participant is None:
            allocations.append(line)
        else:
            groups[hash(participant) % IMPORTERS].append(line)
    files = []
    for k in range(IMPORTERS):
        chosen = {*groups[k], *groups[(k + 1) % IMPORTERS], *allocations}
        path = tmp_path / f"part-{k}.jsonl"
        path.write_text("".join(f"{line}\n" for line in lines if line in chosen))
        files.append(path)
    return files


def by_stream(lines: list[str]) -> dict[str | None, list[str]]:
    streams: dict[str | None, list[str]] = defaultdict(list)
    for line in lines:
        event = json.loads(line)
        streams[event.get("participant")].append(event["id"])
    return streams


def stored_count(output: str) -> int:
    """The number of events an import says it stored (``stored 1 234 events, ...``)."""
    found = re.match(r"stored ([\d ]+) events?,", output)
    assert found is not None, output
    return int(found[1].replace(" ", ""))


@pytest.mark.parametrize("start", ["from a store made beforehand", "from nothing at all"])
@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_eight_importers_at_once_store_every_event_exactly_once_in_stream_order(
    request: pytest.FixtureRequest, tmp_path: Path, database: str, start: str
) -> None:
    url = request.getfixturevalue("sqlite_url" if database == "sqlite" else "postgres_url")
    # The race from nothing is over in the first moments: a smaller history suffices.
    participants = 160 if start == "from a store made beforehand" else 40
    history = list(
        generate_history(seed=5, participants=participants, first_year=2023, last_year=2024)
    )
    files = overlapping_files(tmp_path, history)
    if start == "from a store made beforehand":
        Orbit.open(url).close()  # create the tables once, as a deployment would
    # else the importers race to create the tables and the key file: writers still wait

    importers = [
        subprocess.Popen(
            [sys.executable, "-m", "orbit_cli", "--store", url, "import", str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files
    ]
    outcomes = [importer.communicate(timeout=300) for importer in importers]

    assert [importer.returncode for importer in importers] == [0] * IMPORTERS, outcomes
    stored = sum(int(out.split()[1]) for out, _ in outcomes)
    assert stored == len(history)
    with Orbit.open(url) as orbit:
        exported = list(orbit.export_lines())
    assert len(exported) == len(history)
    assert by_stream(exported) == by_stream(history)


def test_a_reader_never_finds_a_new_event_below_a_position_it_has_seen(
    postgres_url: str, tmp_path: Path
) -> None:
    history = list(generate_history(seed=6, participants=120, first_year=2023, last_year=2024))
    files = overlapping_files(tmp_path, history)
    Orbit.open(postgres_url).close()
    seen: list[int] = []
    writers_done = threading.Event()

    def read_continuously() -> None:
        with Orbit.open(postgres_url) as reader:
            while True:
                finished = writers_done.is_set()
                start = seen[-1] if seen else 0
                page = reader._store.select_notifications(start, 500, inclusive_of_start=False)
                seen.extend(notification.id for notification in page)
                if finished and not page:
                    return

    reader = threading.Thread(target=read_continuously)
    reader.start()
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "orbit_cli", "--store", postgres_url, "import", str(path)],
            stdout=subprocess.DEVNULL,
        )
        for path in files
    ]
    for writer in writers:
        writer.wait(timeout=300)
    writers_done.set()
    reader.join(timeout=60)

    with Orbit.open(postgres_url) as orbit, orbit.events() as records:
        every_position = [record.position for record in records]
    assert seen == every_position  # a position filled in behind the reader would be missing


@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_a_report_taken_during_an_import_sees_all_of_it_or_none(
    request: pytest.FixtureRequest, tmp_path: Path, database: str
) -> None:
    url = request.getfixturevalue("sqlite_url" if database == "sqlite" else "postgres_url")
    history = tmp_path / "history.jsonl"
    lines = list(generate_history(seed=7, participants=1500, first_year=2023, last_year=2024))
    history.write_text("".join(f"{line}\n" for line in lines))
    Orbit.open(url).close()
    last_day = dt.date.fromisoformat(max(json.loads(line)["date"] for line in lines))
    everything = Period(dt.date(2000, 1, 1), last_day)
    seen: set[int] = set()

    importer = subprocess.Popen(
        [sys.executable, "-m", "orbit_cli", "--store", url, "import", str(history)],
        stdout=subprocess.DEVNULL,
    )
    with Orbit.open(url) as orbit:
        while importer.poll() is None:
            seen.add(orbit.report(everything).events_replayed)
        seen.add(orbit.report(everything).events_replayed)

    assert importer.returncode == 0
    assert seen <= {0, len(lines)}
    assert len(lines) in seen

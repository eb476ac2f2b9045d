"""An import killed half-way leaves all of its file or none of it, and nothing to repair."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orbit_adapters.service import Orbit
from orbit_synthetic import generate_history


@pytest.fixture(scope="module")
def large_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("history") / "large.jsonl"
    lines = generate_history(seed=9, participants=3500, first_year=2021, last_year=2024)
    path.write_text("".join(f"{line}\n" for line in lines))
    return path


def test_an_import_killed_mid_way_stores_all_or_nothing_and_the_next_import_works(
    store_url: str, large_history: Path
) -> None:
    total = sum(1 for _ in large_history.open())
    Orbit.open(store_url).close()
    command = [sys.executable, "-m", "orbit_cli", "--store", store_url, "import"]
    importer = subprocess.Popen([*command, str(large_history)], stdout=subprocess.DEVNULL)
    time.sleep(1.5)  # past start-up, well inside an import of tens of thousands of events

    importer.send_signal(signal.SIGKILL)
    importer.wait(timeout=30)

    assert importer.returncode == -signal.SIGKILL, "the import finished before it was killed"
    with Orbit.open(store_url) as orbit:
        assert orbit._store.count() in (0, total)
        result = orbit.import_file(large_history)
        assert result.stored + result.already_stored == total
        assert orbit._store.count() == total

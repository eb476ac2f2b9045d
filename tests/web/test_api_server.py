"""``orbit serve`` as a process: it imports, reports, is killed, and restarts warm."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from web_api_support import new_referral

from orbit_adapters.read_model.checkpoints import Checkpoints, tallies_key
from orbit_adapters.service import Orbit
from orbit_adapters.web.backend import Role

ORGANISATION = "fjordtiltak"
STARTUP_SECONDS = 60  # a shared 2-core machine can be slow to start Python and FastAPI


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def orbit_serve(url: str, port: int, log: Path) -> Iterator[str]:
    """``orbit serve`` on a loopback port until the block ends, then killed (SIGKILL)."""
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "orbit_cli", "--store", url, "serve", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"orbit serve did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield base
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def test_killed_and_restarted_the_server_loses_nothing_and_starts_warm(
    store_url: str, tmp_path: Path
) -> None:
    with Orbit.open(store_url) as orbit:  # an empty store, and its tokens
        tokens = orbit.tokens()
        now = dt.datetime.now(dt.UTC)
        importer = tokens.create(Role.IMPORTER, ORGANISATION, now=now).secret
        reader = tokens.create(Role.READER, ORGANISATION, now=now).secret
    events = "".join(new_referral(f"P-{number}") + "\n" for number in range(40))
    report_path = f"/api/v1/organisations/{ORGANISATION}/report?until=2024-12-31"
    log = tmp_path / "serve.log"

    with orbit_serve(store_url, free_port(), log) as base:
        stored = httpx.post(
            f"{base}/api/v1/organisations/{ORGANISATION}/events",
            content=events,
            headers={"Authorization": f"Bearer {importer}"},
            timeout=60,
        )
        assert stored.status_code == 200, stored.text
        assert stored.json() == {"stored": 40, "already_stored": 0}
        first = httpx.get(
            f"{base}{report_path}", headers={"Authorization": f"Bearer {reader}"}, timeout=60
        )
        assert first.status_code == 200
        assert first.json()["events_replayed"] == 40

    # Killed without a chance to clean up: the import was committed, and the report's
    # tallies were saved in the store, so the next server reads them back.
    with Orbit.open(store_url, organisation=ORGANISATION, create=False) as orbit:
        assert len(list(orbit.export_lines())) == 40
        with orbit._store.reading() as reading:
            checkpoints = Checkpoints(reading.connection, ORGANISATION)
            end = checkpoints.last_event()
            assert end is not None
            key = tallies_key("2024-01-01", "2024-12-31", "proportional", None)
            assert checkpoints.tallies(key, end) is not None

    with orbit_serve(store_url, free_port(), log) as base:
        again = httpx.get(
            f"{base}{report_path}", headers={"Authorization": f"Bearer {reader}"}, timeout=60
        )
        assert again.status_code == 200
        assert again.content == first.content
    assert importer not in log.read_text()

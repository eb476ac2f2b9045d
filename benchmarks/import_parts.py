"""Where an import's time goes, per event: the whole import in one process with the
store's and the directory's calls timed, then each per-event part alone.

Data: every organisation's lines as one organisation (``single.jsonl``, as
``bench_import.py --single`` makes it; ``--scale 0.2`` gives about 200,000 events, the
"deep organisation" of issue 15). In one process running the chosen orbit, with the
``orbit`` command's collector thresholds:

1. ``Orbit.import_file`` into a fresh SQLite store, CPU time, with the time spent in
   the store's calls (the insert, the lookups, the commit) and the participant directory's
   (creating participants, sealing personal fields) and in the importer's per-event
   check counted apart;
2. each per-event part on the same lines alone: reading them, decoding (JSON, the
   events-v1 checks and the domain event), the journey rules, the bounds, the split into
   skeleton and personal fields, their JSON, AES-GCM sealing, the timestamps.

It measures parts, not a figure with a target. CPU time is less disturbed than
wall-clock time on a shared machine, but not immune: run it twice.

    .venv/bin/python benchmarks/import_parts.py --scale 0.2
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import gc
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import make_data
from harness import add_common_arguments, orbit_environment, prepare_orbit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    make_data.add_dataset_arguments(parser)
    add_common_arguments(parser)
    parser.add_argument("--measure", metavar="JSONL_FILE", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        measure(Path(arguments.measure))
        return
    prepare_orbit(arguments.orbit_src)
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    path = make_data.single_file(files)
    command = [sys.executable, __file__, "--measure", str(path)]
    subprocess.run(command, env=orbit_environment(), check=True)


def measure(path: Path) -> None:
    """Runs inside the chosen orbit's environment."""
    gc.set_threshold(700, 10, 1000)  # as the orbit command sets them
    events = sum(1 for _ in path.open("rb"))
    print(f"{path}: {events:,} events; CPU time per event")
    whole_import(path, events)
    parts(path, events)


def whole_import(path: Path, events: int) -> None:
    from sqlalchemy.engine import Connection  # noqa: PLC0415

    from orbit_adapters import Orbit, importing  # noqa: PLC0415
    from orbit_adapters.privacy import directory  # noqa: PLC0415
    from orbit_adapters.store import event_store  # noqa: PLC0415

    spent: dict[str, float] = {}
    timed_calls = [  # "    of which": called inside the line above, not counted twice
        (importing.Importer, "_validate", "  per event: rules, split, JSON, sealing"),
        (directory.ParticipantDirectory, "seal_personal", "    of which sealing personal fields"),
        (event_store.StoreWriter, "append", "  the store: insert (executemany)"),
        (event_store.StoreWriter, "by_event_id", "  the store: id lookups"),
        (Connection, "_commit_impl", "  the store: the commit"),
        (event_store.StoreWriter, "streams", "  the store: stream lookups"),
        (directory.ParticipantDirectory, "participants", "  directory: find participants"),
        (directory.ParticipantDirectory, "create", "  directory: create participants"),
    ]
    for owner, name, label in timed_calls:
        _count_time(owner, name, label, spent)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/orbit.db"
        with Orbit.open(url, key_file=f"{folder}/key", create=True) as orbit:
            start = time.process_time()
            orbit.import_file(path)
            seconds = time.process_time() - start
    print(f"{'the whole import (Orbit.import_file)':58} {seconds / events * 1e6:6.2f} µs")
    for label, part in spent.items():
        print(f"{label:58} {part / events * 1e6:6.2f} µs")
    rest = seconds - sum(part for label, part in spent.items() if not label.startswith("    "))
    label = "  the rest: decoding, batches, reading (decoding: below)"
    print(f"{label:58} {rest / events * 1e6:6.2f} µs")


def _count_time(owner: Any, name: str, label: str, spent: dict[str, float]) -> None:
    function = getattr(owner, name)

    @functools.wraps(function)
    def counted(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - start

    spent[label] = 0.0
    setattr(owner, name, counted)


def parts(path: Path, events: int) -> None:
    from orbit_adapters import events_v1, importing  # noqa: PLC0415
    from orbit_adapters.privacy.crypto import Sealer, new_key  # noqa: PLC0415
    from orbit_adapters.store.rows import ORGANISATION_STREAM, to_microseconds  # noqa: PLC0415
    from orbit_domain.journey import OrganisationState, ParticipantState  # noqa: PLC0415

    raw = path.read_bytes().splitlines(keepends=True)

    def part(label: str, work: Callable[[], Any]) -> Any:
        start = time.process_time()
        result = work()
        print(f"{label:58} {(time.process_time() - start) / events * 1e6:6.2f} µs")
        return result

    print("each part alone:")
    numbered = part(
        "  lines: numbered, blank ones left out", lambda: list(importing.numbered_lines(raw))
    )
    wires = part(
        "  decode: JSON, events-v1 checks, the domain event",
        lambda: [events_v1.decode_line(text) for _, text in numbered],
    )
    now = dt.datetime.now(dt.UTC)

    def rules() -> None:
        states: dict[str, Any] = {}
        for wire in wires:
            stream = wire.participant or ORGANISATION_STREAM
            state = states.get(stream)
            if state is None:
                state = OrganisationState() if wire.participant is None else ParticipantState()
            states[stream] = importing._decide_and_evolve(
                state, wire, wire.recorded_at or now, wire.event_id or "id"
            )

    part("  journey rules: decide and evolve", rules)
    part("  bounds (out_of_bounds)", lambda: [events_v1.out_of_bounds(w.event) for w in wires])
    splits = part(
        "  split into skeleton and personal fields",
        lambda: [importing._split_personal(w.event) for w in wires],
    )
    encode = importing._compact_json
    part(
        "  their compact JSON",
        lambda: [(encode(skeleton), encode(personal)) for skeleton, personal in splits],
    )
    sealer = Sealer(new_key())
    part(
        "  AES-GCM sealing (one cipher, all events)",
        lambda: [sealer.seal(b'{"municipality":"Oslo"}', b"context") for _ in wires],
    )
    part(
        "  recorded_at in microseconds, date as text",
        lambda: [(to_microseconds(w.recorded_at or now), w.event.date.isoformat()) for w in wires],
    )


if __name__ == "__main__":
    main()

"""Where a cold replay's time goes, per row: each part of it timed on its own.

Setup: a fresh SQLite store holding the first few organisations (``--parts-organisations``,
default 3, about 100,000 events), imported with ``orbit import``. Then, in one process
running the chosen orbit with the ``orbit`` command's collector thresholds, the rows are
read once into memory and each part of a replay is timed over them (CPU time, best of
three): reading them with the driver's cursor, the fingerprint chain, the fold, freezing
the timelines, encoding the fold state for the checkpoint and decoding it again, and
the year's tallies.
The raw baseline's own per-row cost (select the line and ``json.loads`` it) is printed
beside them.

With ``--against DIR`` (another orbit's ``src`` folder, e.g. a ``git archive`` snapshot
of main), both orbits measure the same store in turn, ``--rounds`` times (default 3),
alternating, and each part is printed as the median (and range) of its rounds for
each, with the ratio: an A/B on a shared machine, where the load moves between minutes.

    .venv/bin/python benchmarks/replay_parts.py
    .venv/bin/python benchmarks/replay_parts.py --against benchmarks/data/snapshot-main/src
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import make_data
from baselines import TABLE, raw_store
from bench_import import import_organisations
from harness import add_common_arguments, bench_stores, orbit_environment, prepare_orbit

PARTS_ORGANISATIONS = 3
REPEATS = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    make_data.add_dataset_arguments(parser)
    add_common_arguments(parser)
    parser.add_argument("--parts-organisations", type=int, default=PARTS_ORGANISATIONS)
    parser.add_argument(
        "--against",
        metavar="DIR",
        help="another orbit's src folder, measured in turn with the first on the same store",
    )
    parser.add_argument("--rounds", type=int, help="[default: 3 with --against, else 1]")
    parser.add_argument("--measure", metavar="SQLITE_FILE", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.measure:
        print(json.dumps(measure(Path(arguments.measure))))
        return
    if arguments.against:
        prepare_orbit(arguments.against)  # compiles its bytecode; the first is chosen below
    prepare_orbit(arguments.orbit_src)
    files = make_data.ensure(make_data.dataset_from_arguments(arguments))
    chosen = files.organisations[: arguments.parts_organisations]
    rounds = arguments.rounds or (3 if arguments.against else 1)
    with bench_stores("sqlite", "parts", keep=arguments.keep) as stores:
        orbits = {"orbit": orbit_environment(stores)}
        if arguments.against:
            against = str(Path(arguments.against).resolve())
            orbits["against"] = orbits["orbit"] | {"PYTHONPATH": against}
            print(f"orbit: {orbits['orbit'].get('PYTHONPATH', 'the installed tree')}")
            print(f"against: {against}")
        import_organisations(stores, {name: files.path(name) for name in chosen})
        raw_store(stores.kind, stores.raw).insert([files.path(name) for name in chosen])
        database = stores.orbit_url.removeprefix("sqlite:///")
        command = [sys.executable, __file__, "--measure", database]
        results: dict[str, list[dict[str, float]]] = {name: [] for name in orbits}
        rows = 0
        for _ in range(rounds):
            for name, environment in orbits.items():
                run = subprocess.run(command, env=environment, check=True, capture_output=True)
                measured = json.loads(run.stdout)
                rows = measured["rows"]
                results[name].append(measured["parts"])
        print_parts(rows, results, rounds)
        print_baseline(Path(stores.raw))


def print_parts(rows: int, results: dict[str, list[dict[str, float]]], rounds: int) -> None:
    names = list(results)
    print(f"{rows:,} rows; CPU microseconds per row, best of {REPEATS}; {rounds} round(s)")
    if len(names) == 1:
        for part in results[names[0]][0]:
            values = [parts[part] for parts in results[names[0]]]
            print(f"  {_median_and_range(values):>20}  {part}")
        return
    print(f"  {'orbit':>20}  {'against':>20}  {'ratio':>5}")
    for part in results[names[0]][0]:
        ours = [parts[part] for parts in results[names[0]]]
        theirs = [parts[part] for parts in results[names[1]]]
        ratio = statistics.median(ours) / statistics.median(theirs)
        ours_text, theirs_text = _median_and_range(ours), _median_and_range(theirs)
        print(f"  {ours_text:>20}  {theirs_text:>20}  {ratio:5.2f}  {part}")


def _median_and_range(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.median(values):.2f} ({min(values):.2f}-{max(values):.2f})"


def measure(database: Path) -> dict[str, Any]:
    """Runs inside the chosen orbit's environment: time each part of a replay."""
    from orbit_adapters.read_model.fingerprint import Fingerprint  # noqa: PLC0415
    from orbit_adapters.read_model.row_fold import fold_rows  # noqa: PLC0415
    from orbit_adapters.read_model.state_codec import decode_state, encode_state  # noqa: PLC0415
    from orbit_adapters.store.rows import REPLAY_COLUMNS  # noqa: PLC0415
    from orbit_cli.main import tune_garbage_collector  # noqa: PLC0415
    from orbit_domain.period import Period  # noqa: PLC0415
    from orbit_domain.projections import (  # noqa: PLC0415
        EMPTY_TIMELINES,
        TimelinesBuilder,
        programme_tallies,
    )
    from orbit_domain.weighting import Weighting  # noqa: PLC0415

    tune_garbage_collector()
    connection = sqlite3.connect(database)
    # The orbit's own replay columns: they changed (orbit-fingerprint/3 read the stored
    # digest in place of recorded_us; later, version was left out).
    query = (
        f"SELECT {', '.join(column.name for column in REPLAY_COLUMNS)} "
        "FROM orbit_events ORDER BY position"
    )

    def read() -> list[tuple[Any, ...]]:
        return connection.execute(query).fetchall()

    rows = read()
    builder = TimelinesBuilder(EMPTY_TIMELINES)
    fold_rows(builder, rows)
    timelines = builder.build()

    state = encode_state(timelines)

    def fold() -> None:
        fold_rows(TimelinesBuilder(EMPTY_TIMELINES), rows)

    parts: list[tuple[str, Callable[[], object]]] = [
        ("reading the rows (sqlite3 cursor)", read),
        ("the fingerprint chain (of the stored digests)", lambda: Fingerprint().add_rows(rows)),
        ("the fold (row_fold into TimelinesBuilder)", fold),
        ("freezing the timelines (build)", builder.build),
        ("encoding the fold state (checkpoint)", lambda: encode_state(timelines)),
        ("decoding the fold state (checkpoint)", lambda: decode_state(state)),
        (
            "the tallies of the year report",
            lambda: programme_tallies(timelines, Period.year(2024), Weighting.PROPORTIONAL),
        ),
    ]
    measured = {name: per_row(part, len(rows)) for name, part in parts}
    gc.collect()
    return {"rows": len(rows), "parts": measured}


def print_baseline(raw_database: Path) -> None:
    connection = sqlite3.connect(raw_database)
    query = f"SELECT line FROM {TABLE} ORDER BY rowid"

    def select_and_decode() -> None:
        for (line,) in connection.execute(query):
            json.loads(line)

    count = connection.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    print(f"  {per_row(select_and_decode, count):6.2f}  the raw baseline: select + json.loads")


def per_row(part: Callable[[], object], rows: int) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.process_time()
        part()
        best = min(best, time.process_time() - started)
    return best / rows * 1e6


if __name__ == "__main__":
    main()
